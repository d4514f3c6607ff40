#include "emulator/sim/expectation.hpp"

#include "emulator/sim/duration_text.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

namespace lambkin::sim {

std::string_view to_string(comparison c) noexcept {
  switch (c) {
    case comparison::equal: return "=";
    case comparison::less: return "<";
    case comparison::less_equal: return "<=";
    case comparison::greater: return ">";
    case comparison::greater_equal: return ">=";
  }
  return "?";
}

std::optional<std::pair<comparison, double>> parse_expected_value(std::string_view text) {
  auto op = comparison::equal;
  auto take = [&](std::string_view prefix, comparison c) {
    if (text.substr(0, prefix.size()) != prefix) return false;
    op = c;
    text.remove_prefix(prefix.size());
    return true;
  };
  take("<=", comparison::less_equal) || take(">=", comparison::greater_equal) || take("<", comparison::less) ||
      take(">", comparison::greater) || take("=", comparison::equal);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  const std::string number(text);
  char* end = nullptr;
  const double v = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(v)) return std::nullopt;
  return std::pair{op, v};
}

bool holds(const expectation& e, double got) noexcept {
  switch (e.op) {
    // Half of the last printed digit: a value that prints as expected is accepted.
    case comparison::equal: return std::fabs(got - e.value) <= 0.0005;
    case comparison::less: return got < e.value;
    case comparison::less_equal: return got <= e.value;
    case comparison::greater: return got > e.value;
    case comparison::greater_equal: return got >= e.value;
  }
  return false;
}

std::vector<std::string> check_expectations(const std::vector<expectation>& expected, const summary& actual,
                                            const std::string& file) {
  std::vector<std::string> problems;
  for (const auto& e : expected) {
    const auto got = summary_value(actual, e.key);
    std::string where;
    if (!file.empty() && e.line > 0) where = file + ':' + std::to_string(e.line) + ':' + std::to_string(e.column) + ": ";
    if (!got) {
      problems.push_back(where + e.key + ": not a summary key");
      continue;
    }
    if (holds(e, *got)) continue;
    const std::string bound = e.op == comparison::equal ? "" : std::string(to_string(e.op)) + " ";
    problems.push_back(where + e.key + ": expected " + bound + format_decimal(e.value) + ", got " + format_decimal(*got));
  }
  return problems;
}

}  // namespace lambkin::sim
