#include "emulator/config/settings_reader.hpp"

#include "emulator/config/property_reader.hpp"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <regex>

namespace lambkin::config {
namespace {

constexpr std::string_view base = "Metadata.lambkin";

const node* settings_node(const node& root) {
  const node* metadata = root.find("Metadata");
  return metadata && metadata->is_map() ? metadata->find("lambkin") : nullptr;
}

std::optional<duration> read_duration(const property_reader& r, std::string_view key) {
  auto text = r.string(key);
  if (!text) return std::nullopt;
  auto d = parse_duration(*text);
  if (!d) r.diags().error(r.find(key)->at, r.path(key), "must be a duration such as 10m, 90s or 500ms");
  return d;
}

std::optional<retention_window> read_retention(const property_reader& r) {
  const node* n = r.find("idle_retention");
  if (!n) return std::nullopt;
  if (n->is_scalar()) {
    auto d = read_duration(r, "idle_retention");
    return d ? std::optional<retention_window>({*d, *d, std::nullopt}) : std::nullopt;
  }
  auto window = r.child("idle_retention");
  if (!window) return std::nullopt;
  window->allow({"min", "max", "seed"});
  window->require("min");
  window->require("max");
  auto min = read_duration(*window, "min");
  auto max = read_duration(*window, "max");
  auto seed = window->integer("seed", 0, LLONG_MAX);
  if (!min || !max) return std::nullopt;
  return retention_window{*min, *max, seed ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(*seed))
                                           : std::nullopt};
}

void read_ports(const property_reader& r, port_settings& ports) {
  auto p = r.child("ports");
  if (!p) return;
  p->allow({"mqtt", "ws", "http", "aws"});
  auto set = [&](std::string_view key, std::uint16_t& field) {
    if (auto v = p->integer(key, 0, 65535)) field = static_cast<std::uint16_t>(*v);
  };
  set("mqtt", ports.mqtt);
  set("ws", ports.ws);
  set("http", ports.http);
  set("aws", ports.aws);
}

void read_matching(const property_reader& r, std::string_view key, const char* pattern, std::string_view what,
                   std::string& field) {
  auto v = r.string(key);
  if (!v) return;
  if (!std::regex_match(*v, std::regex(pattern))) {
    r.diags().error(r.find(key)->at, r.path(key), "must be " + std::string(what));
    return;
  }
  field = *v;
}

}  // namespace

void read_settings(const node& root, settings& s, diagnostics& diags) {
  const node* n = settings_node(root);
  if (!n) return;
  property_reader r(*n, std::string(base), diags);
  r.allow({"timing", "idle_retention", "account_concurrency", "unreserved_minimum", "ports", "bind", "region",
           "account_id", "stack_name"});
  if (auto t = r.one_of("timing", {"aws", "fast"})) s.timing = *parse_timing_profile(*t);
  if (auto w = read_retention(r)) s.idle_retention = w;
  if (auto v = r.integer("account_concurrency", 1, 1'000'000)) s.account_concurrency = static_cast<int>(*v);
  if (auto v = r.integer("unreserved_minimum", 0, 1'000'000)) s.unreserved_minimum = static_cast<int>(*v);
  read_ports(r, s.ports);
  if (auto v = r.string("bind")) s.bind = *v;
  read_matching(r, "region", "[a-z]{2}(-[a-z]+)+-[0-9]+", "a region such as us-east-1", s.region);
  read_matching(r, "account_id", "[0-9]{12}", "12 digits", s.account_id);
  read_matching(r, "stack_name", "[A-Za-z][-A-Za-z0-9]{0,127}",
                "a stack name (a letter, then letters, digits and hyphens)", s.stack_name);
}

void check_settings(const node& root, const settings& s, diagnostics& diags) {
  const node* n = settings_node(root);
  const mark at = n ? n->at : mark{1, 1};
  if (s.unreserved_minimum > s.account_concurrency)
    diags.error(at, std::string(base) + ".unreserved_minimum",
                "is " + std::to_string(s.unreserved_minimum) + ", more than account_concurrency (" +
                    std::to_string(s.account_concurrency) + ")");
  if (s.idle_retention && s.idle_retention->min > s.idle_retention->max)
    diags.error(at, std::string(base) + ".idle_retention", "min must not be more than max");
}

std::optional<duration> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::chrono::duration<double, std::nano> total{0};
  while (!text.empty()) {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || !(value >= 0) || value > 1e9) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    std::size_t unit_length = 0;
    while (unit_length < text.size() && std::isalpha(static_cast<unsigned char>(text[unit_length]))) ++unit_length;
    const std::string_view unit = text.substr(0, unit_length);
    text.remove_prefix(unit_length);
    double scale = 0;
    if (unit == "ns") scale = 1;
    else if (unit == "us") scale = 1e3;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "s") scale = 1e9;
    else if (unit == "m") scale = 60e9;
    else if (unit == "h") scale = 3600e9;
    else return std::nullopt;
    total += std::chrono::duration<double, std::nano>(value * scale);
  }
  return std::chrono::duration_cast<duration>(total);
}

}  // namespace lambkin::config
