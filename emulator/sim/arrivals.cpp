#include "emulator/sim/arrivals.hpp"

#include "emulator/sim/duration_text.hpp"
#include "emulator/sim/random.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace lambkin::sim {
namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;  // clang before 17 has no CTAD for aggregates

double seconds_of(duration d) { return std::chrono::duration<double>(d).count(); }

std::uint64_t uniform_count(const rate_arrivals& r) {
  // The epsilon keeps 50/s × 1s at 50 when the product lands a hair below an integer.
  return static_cast<std::uint64_t>(std::floor(r.rate_per_s * seconds_of(r.length) + 1e-9));
}

void generate(const explicit_arrivals& e, rng&, std::vector<duration>& out) {
  out.insert(out.end(), e.times.begin(), e.times.end());
}

void generate(const rate_arrivals& r, rng& g, std::vector<duration>& out) {
  const double start_ns = static_cast<double>(r.start.count());
  const double gap_ns = 1e9 / r.rate_per_s;
  if (r.process == arrival_process::uniform) {
    const auto n = uniform_count(r);
    // Multiplying instead of accumulating keeps the i-th arrival free of rounding drift.
    for (std::uint64_t i = 0; i < n; ++i)
      out.push_back(duration(std::llround(start_ns + static_cast<double>(i) * gap_ns)));
    return;
  }
  const double end_ns = start_ns + static_cast<double>(r.length.count());
  for (double t = start_ns + g.exponential(gap_ns); t < end_ns; t += g.exponential(gap_ns))
    out.push_back(duration(std::llround(t)));
}

void generate(const burst_arrivals& b, rng&, std::vector<duration>& out) {
  for (const duration t : b.at) out.insert(out.end(), b.size, t);
  for (std::uint64_t k = 0; k < b.count; ++k)
    out.insert(out.end(), b.size, b.start + b.every * static_cast<duration::rep>(k));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  int depth = 0;
  std::size_t from = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] == '(') ++depth;
    if (i < s.size() && s[i] == ')') --depth;
    if (i == s.size() || (s[i] == sep && depth == 0)) {
      out.push_back(trim(s.substr(from, i - from)));
      from = i + 1;
    }
  }
  return out;
}

}  // namespace

result<double> parse_rate(std::string_view text) {
  text = trim(text);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string_view unit = trim(text.substr(static_cast<std::size_t>(end - text.data())));
  double per = 0;
  if (unit.empty() || unit == "/s") per = 1;
  if (unit == "/m" || unit == "/min") per = 60;
  if (unit == "/h") per = 3600;
  if (ec != std::errc{} || per == 0) return message_error("expected a rate such as 50 or 50/s, got '" + std::string(text) + "'");
  return value / per;
}

namespace {

result<std::uint64_t> parse_count(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size())
    return message_error("expected a whole number, got '" + std::string(text) + "'");
  return value;
}

result<arrival_component> parse_component(std::string_view text) {
  const auto open = text.find('(');
  const std::string_view name = trim(text.substr(0, open));
  if (open == std::string_view::npos || name.empty() || (name[0] >= '0' && name[0] <= '9')) {
    explicit_arrivals e;
    for (auto piece : split(text, ',')) {
      auto t = parse_duration(piece);
      if (!t) return t.error();
      e.times.push_back(*t);
    }
    return arrival_component(std::move(e));
  }
  if (text.back() != ')') return message_error("missing ')' in '" + std::string(text) + "'");
  const auto args = split(text.substr(open + 1, text.size() - open - 2), ',');
  const auto arg_error = [&](std::string_view usage) {
    return message_error("expected " + std::string(usage) + ", got '" + std::string(text) + "'");
  };
  if (name == "poisson" || name == "uniform") {
    if (args.size() < 2 || args.size() > 3) return arg_error(std::string(name) + "(rate, duration[, start])");
    rate_arrivals r;
    r.process = name == "poisson" ? arrival_process::poisson : arrival_process::uniform;
    auto rate = parse_rate(args[0]);
    auto length = parse_duration(args[1]);
    auto start = args.size() == 3 ? parse_duration(args[2]) : result<duration>(duration{});
    if (!rate) return rate.error();
    if (!length) return length.error();
    if (!start) return start.error();
    r.rate_per_s = *rate;
    r.length = *length;
    r.start = *start;
    return arrival_component(r);
  }
  if (name == "burst" || name == "bursts") {
    const bool periodic = name == "bursts";
    if (!periodic && args.size() != 2) return arg_error("burst(size, at)");
    if (periodic && (args.size() < 3 || args.size() > 4)) return arg_error("bursts(size, every, count[, start])");
    burst_arrivals b;
    auto size = parse_count(args[0]);
    if (!size) return size.error();
    b.size = *size;
    auto second = parse_duration(args[1]);
    if (!second) return second.error();
    if (!periodic) {
      b.at.push_back(*second);
      return arrival_component(std::move(b));
    }
    b.every = *second;
    auto count = parse_count(args[2]);
    auto start = args.size() == 4 ? parse_duration(args[3]) : result<duration>(duration{});
    if (!count) return count.error();
    if (!start) return start.error();
    b.count = *count;
    b.start = *start;
    return arrival_component(std::move(b));
  }
  return message_error("unknown arrival pattern '" + std::string(name) +
                       "' (expected a list of times, poisson(…), uniform(…), burst(…) or bursts(…))");
}

std::string join_times(const std::vector<duration>& times) {
  std::string out;
  for (std::size_t i = 0; i < times.size() && i < 8; ++i) out += (i ? ", " : "") + format_duration(times[i]);
  if (times.size() > 8) out += ", … (" + std::to_string(times.size()) + " times)";
  return out;
}

}  // namespace

std::uint64_t arrivals_spec::expected_count() const noexcept {
  std::uint64_t n = 0;
  for (const auto& c : components) {
    n += std::visit(overloaded{
                        [](const explicit_arrivals& e) -> std::uint64_t { return e.times.size(); },
                        [](const rate_arrivals& r) -> std::uint64_t { return uniform_count(r); },
                        [](const burst_arrivals& b) -> std::uint64_t { return b.size * (b.at.size() + b.count); },
                    },
                    c);
  }
  return n;
}

std::vector<duration> generate_arrivals(const arrivals_spec& spec, std::uint64_t seed,
                                        std::optional<duration> horizon) {
  std::vector<duration> out;
  out.reserve(spec.expected_count() + spec.expected_count() / 16 + 16);
  const std::uint64_t base = derive_seed(seed, stream::arrivals);
  for (std::size_t i = 0; i < spec.components.size(); ++i) {
    rng g(derive_seed(base, i));
    std::visit([&](const auto& c) { generate(c, g, out); }, spec.components[i]);
  }
  // A single rate component comes out sorted; merging several, or an unordered list, needs a sort.
  if (!std::is_sorted(out.begin(), out.end())) std::sort(out.begin(), out.end());
  if (horizon) out.erase(std::lower_bound(out.begin(), out.end(), *horizon), out.end());
  return out;
}

std::string check(const arrival_component& c, std::string* field) {
  const auto fail = [&](const char* key, const char* message) {
    if (field) *field = key;
    return std::string(message);
  };
  if (const auto* r = std::get_if<rate_arrivals>(&c)) {
    if (!(r->rate_per_s > 0) || !std::isfinite(r->rate_per_s)) return fail("rate", "must be a positive number");
    if (r->length <= duration::zero()) return fail("duration", "must be positive");
  }
  if (const auto* b = std::get_if<burst_arrivals>(&c)) {
    if (b->size == 0) return fail("burst", "must be a positive whole number");
    if (b->at.empty() && b->count == 0) return fail("burst", "needs `at` times or `every` with `count`");
    if (b->count > 1 && b->every <= duration::zero()) return fail("every", "must be positive");
  }
  if (const auto* e = std::get_if<explicit_arrivals>(&c); e && e->times.empty())
    return fail("at", "needs at least one time");
  return {};
}

result<arrivals_spec> parse_arrivals(std::string_view text) {
  arrivals_spec spec;
  for (const auto piece : split(text, '+')) {
    if (piece.empty()) return message_error("empty arrival pattern in '" + std::string(text) + "'");
    auto c = parse_component(piece);
    if (!c) return c.error();
    std::string field;
    if (auto problem = check(*c, &field); !problem.empty()) return message_error(field + " " + problem);
    spec.components.push_back(std::move(*c));
  }
  return spec;
}

std::string describe(const arrivals_spec& spec) {
  std::string out;
  for (const auto& c : spec.components) {
    if (!out.empty()) out += " + ";
    out += std::visit(
        overloaded{
            [](const explicit_arrivals& e) { return join_times(e.times); },
            [](const rate_arrivals& r) {
              return std::string(r.process == arrival_process::poisson ? "poisson(" : "uniform(") +
                     format_decimal(r.rate_per_s) + "/s, " + format_duration(r.length) +
                     (r.start == duration::zero() ? "" : ", " + format_duration(r.start)) + ")";
            },
            [](const burst_arrivals& b) {
              std::string s;
              for (duration t : b.at) s += (s.empty() ? "" : " + ") + ("burst(" + std::to_string(b.size) + ", " + format_duration(t) + ")");
              if (b.count > 0)
                s += (s.empty() ? "" : " + ") + ("bursts(" + std::to_string(b.size) + ", " + format_duration(b.every) +
                                                  ", " + std::to_string(b.count) + ", " + format_duration(b.start) + ")");
              return s;
            },
        },
        c);
  }
  return out;
}

}  // namespace lambkin::sim
