#pragma once
// A scenario's `expect:` section: the outcome a teaching scenario promises, checked against the
// summary of a run (by `lambkin simulate` when asked, and by the tests of examples/coldstart/).
//
//   expect:
//     cold_starts: 6
//     environments: 6
//     cold_start_rate: "< 0.01"
// Keys are summary keys (summary_keys()). A value is a number (equal: counts exactly, others
// within 0.0005, as they print with three decimals) or a bound, `< x`, `<= x`, `> x` or `>= x`.
#include "emulator/sim/summary.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambkin::sim {

enum class comparison : std::uint8_t { equal, less, less_equal, greater, greater_equal };

/// `=`, `<`, `<=`, `>`, `>=`.
std::string_view to_string(comparison c) noexcept;

struct expectation {
  std::string key{};  ///< a summary key, e.g. `cold_starts`
  double value = 0;
  int line = 0;       ///< where the scenario file states it (1-based; 0 for none)
  int column = 0;
  comparison op = comparison::equal;
  bool operator==(const expectation&) const = default;
};

/// `6` → {equal, 6}; `< 0.01` → {less, 0.01}; nullopt when it is neither.
std::optional<std::pair<comparison, double>> parse_expected_value(std::string_view text);

/// Whether `got` satisfies `e`.
bool holds(const expectation& e, double got) noexcept;

/// One message per unmet expectation, e.g. `cold_starts: expected 6, got 5` or
/// `cold_start_rate: expected < 0.01, got 0.02`, prefixed by
/// `FILE:LINE:COL: ` when `file` is given and the expectation has a position. Empty when all hold.
std::vector<std::string> check_expectations(const std::vector<expectation>& expected, const summary& actual,
                                            const std::string& file = {});

}  // namespace lambkin::sim
