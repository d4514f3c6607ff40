#include "emulator/sim/yaml_reader.hpp"

#include "emulator/sim/duration_text.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace lambkin::sim {
namespace {

template <class T>
bool parse_number(const std::string& s, T& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

std::string list(std::initializer_list<std::string_view> names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

}  // namespace

std::string join_path(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

bool yaml_reader::fail(const YAML::Mark& mark, std::string field, std::string message) {
  if (failed_) return false;
  failed_ = true;
  error_.file = file_;
  // yaml-cpp counts from 0; people and editors count from 1.
  error_.line = mark.is_null() ? 0 : mark.line + 1;
  error_.column = mark.is_null() ? 0 : mark.column + 1;
  error_.field = std::move(field);
  error_.message = std::move(message);
  return false;
}

bool yaml_reader::fail_at_remembered(config_error e) {
  std::string key = e.field;
  for (;;) {
    if (auto it = marks_.find(key); it != marks_.end()) return fail(it->second, e.field, e.message);
    const auto cut = key.find_last_of(".[");
    if (cut == std::string::npos) return fail(YAML::Mark::null_mark(), e.field, e.message);
    key.resize(cut);
  }
}

bool yaml_reader::expect_map(const YAML::Node& n, const std::string& field) {
  if (failed_) return false;
  if (!n.IsMap()) return fail(n, field, "expected a mapping of fields");
  return true;
}

bool yaml_reader::only_keys(const YAML::Node& n, const std::string& prefix,
                            std::initializer_list<std::string_view> allowed) {
  if (failed_) return false;
  for (auto it = n.begin(); it != n.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string("?");
    bool known = false;
    for (auto a : allowed) known = known || key == a;
    if (!known) return fail(it->first, join_path(prefix, key), "unknown field (expected one of: " + list(allowed) + ")");
  }
  return true;
}

bool yaml_reader::scalar(const YAML::Node& n, const std::string& field, std::string& out) {
  if (failed_) return false;
  if (n.IsNull()) return fail(n, field, "missing value");
  if (!n.IsScalar()) return fail(n, field, "expected a single value");
  out = n.Scalar();
  return true;
}

bool yaml_reader::read(const YAML::Node& n, const std::string& field, std::string& out) {
  return scalar(n, field, out);
}

bool yaml_reader::read(const YAML::Node& n, const std::string& field, duration& out) {
  std::string s;
  if (!scalar(n, field, s)) return false;
  auto d = parse_duration(s);
  if (!d) return fail(n, field, d.error().message);
  out = *d;
  return true;
}

bool yaml_reader::read(const YAML::Node& n, const std::string& field, double& out) {
  std::string s;
  if (!scalar(n, field, s)) return false;
  if (!parse_number(s, out) || !std::isfinite(out)) return fail(n, field, "expected a number, got '" + s + "'");
  return true;
}

bool yaml_reader::read(const YAML::Node& n, const std::string& field, std::uint64_t& out) {
  std::string s;
  if (!scalar(n, field, s)) return false;
  if (!parse_number(s, out)) return fail(n, field, "expected a non-negative whole number, got '" + s + "'");
  return true;
}

bool yaml_reader::read(const YAML::Node& n, const std::string& field, std::uint32_t& out) {
  std::uint64_t wide = 0;
  if (!read(n, field, wide)) return false;
  if (wide > std::numeric_limits<std::uint32_t>::max()) return fail(n, field, "is too large");
  out = static_cast<std::uint32_t>(wide);
  return true;
}

bool yaml_reader::read(const YAML::Node& n, const std::string& field, bool& out) {
  std::string s;
  if (!scalar(n, field, s)) return false;
  const bool yes = s == "true" || s == "yes" || s == "on";
  const bool no = s == "false" || s == "no" || s == "off";
  if (!yes && !no) return fail(n, field, "expected true or false, got '" + s + "'");
  out = yes;
  return true;
}

bool yaml_reader::read(const YAML::Node& n, const std::string& field, std::vector<duration>& out) {
  if (failed_) return false;
  out.clear();
  if (!n.IsSequence()) {
    out.emplace_back();
    return read(n, field, out.back());
  }
  for (std::size_t i = 0; i < n.size(); ++i) {
    out.emplace_back();
    if (!read(n[i], field + "[" + std::to_string(i) + "]", out.back())) return false;
  }
  return true;
}

bool yaml_reader::read(const YAML::Node& n, const std::string& field, distribution& out) {
  if (failed_) return false;
  if (n.IsMap()) return read_distribution_map(n, field, out);
  std::string s;
  if (!scalar(n, field, s)) return false;
  auto d = parse_distribution(s);
  if (!d) return fail(n, field, d.error().message);
  out = *d;
  return true;
}

bool yaml_reader::read_distribution_map(const YAML::Node& n, const std::string& field, distribution& out) {
  std::string kind;
  const YAML::Node kind_node = n["dist"];
  if (!kind_node.IsDefined()) return fail(n, field + ".dist", "missing (fixed, uniform, normal, lognormal or exponential)");
  if (!scalar(kind_node, field + ".dist", kind)) return false;
  // Each kind: its two parameter names ("" = none); the first fills `a`, the second `b` or sigma.
  struct shape {
    distribution_kind kind;
    std::string_view first, second;
  };
  constexpr shape shapes[] = {
      {distribution_kind::fixed, "value", ""},     {distribution_kind::uniform, "min", "max"},
      {distribution_kind::normal, "mean", "stddev"}, {distribution_kind::lognormal, "median", "sigma"},
      {distribution_kind::exponential, "mean", ""},
  };
  for (const shape& sh : shapes) {
    if (kind != to_string(sh.kind)) continue;
    distribution d;
    d.kind = sh.kind;
    if (!(sh.second.empty() ? only_keys(n, field, {"dist", sh.first}) : only_keys(n, field, {"dist", sh.first, sh.second})))
      return false;
    for (std::string_view key : {sh.first, sh.second}) {
      if (key.empty()) continue;
      const YAML::Node v = n[std::string(key)];
      if (!v.IsDefined()) return fail(n, join_path(field, key), "missing");
      const bool ok = key == "sigma" ? read(v, join_path(field, key), d.sigma)
                                     : read(v, join_path(field, key), key == sh.first ? d.a : d.b);
      if (!ok) return false;
    }
    if (auto problem = check(d); !problem.empty()) return fail(n, field, problem);
    out = d;
    return true;
  }
  return fail(kind_node, field + ".dist",
              "unknown distribution '" + kind + "' (expected fixed, uniform, normal, lognormal or exponential)");
}

}  // namespace lambkin::sim
