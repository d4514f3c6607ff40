#include "emulator/sim/distribution.hpp"

#include "emulator/sim/duration_text.hpp"

#include <charconv>
#include <cmath>
#include <vector>

namespace lambkin::sim {
namespace {

double ns(duration d) { return static_cast<double>(d.count()); }

duration from_ns(double v) {
  // Clamp instead of failing: a far tail draw must not overflow or go negative.
  if (!(v > 0)) return duration::zero();
  if (v > 9.0e18) return duration(static_cast<duration::rep>(9.0e18));
  return duration(std::llround(v));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Splits "a, b" into trimmed pieces; the argument lists here never nest.
std::vector<std::string_view> split_args(std::string_view s) {
  std::vector<std::string_view> out;
  for (;;) {
    const auto comma = s.find(',');
    out.push_back(trim(s.substr(0, comma)));
    if (comma == std::string_view::npos) return out;
    s.remove_prefix(comma + 1);
  }
}

struct shape {
  distribution_kind kind;
  std::size_t arity;
  std::string_view usage;
};

constexpr shape shapes[] = {
    {distribution_kind::fixed, 1, "fixed(value)"},
    {distribution_kind::uniform, 2, "uniform(min, max)"},
    {distribution_kind::normal, 2, "normal(mean, stddev)"},
    {distribution_kind::lognormal, 2, "lognormal(median, sigma)"},
    {distribution_kind::exponential, 1, "exponential(mean)"},
};

}  // namespace

std::string_view to_string(distribution_kind k) noexcept {
  switch (k) {
    case distribution_kind::fixed: return "fixed";
    case distribution_kind::uniform: return "uniform";
    case distribution_kind::normal: return "normal";
    case distribution_kind::lognormal: return "lognormal";
    case distribution_kind::exponential: return "exponential";
  }
  return "fixed";
}

duration distribution::mean() const noexcept {
  switch (kind) {
    case distribution_kind::uniform: return a + (b - a) / 2;
    case distribution_kind::lognormal: return from_ns(ns(a) * std::exp(sigma * sigma / 2));
    case distribution_kind::fixed:
    case distribution_kind::normal:
    case distribution_kind::exponential: return a;
  }
  return a;
}

duration distribution::sample(rng& g) const noexcept {
  switch (kind) {
    case distribution_kind::fixed: return a;
    case distribution_kind::uniform: return from_ns(g.uniform(ns(a), ns(b)));
    case distribution_kind::normal: return from_ns(g.normal(ns(a), ns(b)));
    case distribution_kind::lognormal: return from_ns(g.lognormal(ns(a), sigma));
    case distribution_kind::exponential: return from_ns(g.exponential(ns(a)));
  }
  return a;
}

std::string check(const distribution& d) {
  if (d.kind == distribution_kind::uniform && d.a > d.b) return "uniform: min is above max";
  if (d.kind == distribution_kind::lognormal && !(d.sigma >= 0 && std::isfinite(d.sigma)))
    return "lognormal: sigma must be a non-negative number";
  return {};
}

result<distribution> parse_distribution(std::string_view text) {
  const std::string_view s = trim(text);
  const auto open = s.find('(');
  if (open == std::string_view::npos) {
    auto d = parse_duration(s);
    if (!d) return message_error("expected a duration (250ms) or uniform(min, max), normal(mean, stddev), "
                                 "lognormal(median, sigma), exponential(mean); got '" + std::string(text) + "'");
    return distribution::fixed(*d);
  }
  const std::string_view name = trim(s.substr(0, open));
  if (s.back() != ')') return message_error("missing ')' in '" + std::string(text) + "'");
  const auto args = split_args(s.substr(open + 1, s.size() - open - 2));
  for (const shape& sh : shapes) {
    if (name != to_string(sh.kind)) continue;
    if (args.size() != sh.arity)
      return message_error("expected " + std::string(sh.usage) + ", got '" + std::string(text) + "'");
    distribution d;
    d.kind = sh.kind;
    auto first = parse_duration(args[0]);
    if (!first) return message_error(std::string(name) + ": " + first.error().message);
    d.a = *first;
    if (sh.kind == distribution_kind::lognormal) {
      const auto arg = args[1];
      const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), d.sigma);
      if (ec != std::errc{} || end != arg.data() + arg.size())
        return message_error("lognormal: sigma must be a plain number such as 0.5, got '" + std::string(arg) + "'");
    } else if (sh.arity == 2) {
      auto second = parse_duration(args[1]);
      if (!second) return message_error(std::string(name) + ": " + second.error().message);
      d.b = *second;
    }
    if (auto problem = check(d); !problem.empty()) return message_error(std::move(problem));
    return d;
  }
  return message_error("unknown distribution '" + std::string(name) +
                       "' (expected fixed, uniform, normal, lognormal or exponential)");
}

std::string to_string(const distribution& d) {
  switch (d.kind) {
    case distribution_kind::fixed: return format_duration(d.a);
    case distribution_kind::uniform: return "uniform(" + format_duration(d.a) + ", " + format_duration(d.b) + ")";
    case distribution_kind::normal: return "normal(" + format_duration(d.a) + ", " + format_duration(d.b) + ")";
    case distribution_kind::lognormal:
      return "lognormal(" + format_duration(d.a) + ", " + format_decimal(d.sigma, 6) + ")";
    case distribution_kind::exponential: return "exponential(" + format_duration(d.a) + ")";
  }
  return format_duration(d.a);
}

}  // namespace lambkin::sim
