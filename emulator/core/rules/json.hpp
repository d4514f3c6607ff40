#pragma once
// JSON text → value, for payloads and decode(). Our own small parser rather than Boost.JSON: the
// rules need each number's exact decimal text (34 digits, `21.50` stays Decimal, `22` stays Int),
// and Boost.JSON turns numbers into double/int64 before we could see them. Object members keep
// their order, repeated keys included (a field read takes the last, as AWS's Jackson does).
#include "emulator/core/rules/value.hpp"

#include <optional>
#include <string_view>

namespace lambkin::rules {

/// nullopt unless `text` is exactly one JSON value (surrounding whitespace allowed). Nesting deeper
/// than 512 levels is rejected. With `whole_decimals_as_int` (SQL 2016-03-23) a whole number written
/// with a fraction or exponent (`10.0`, `1e2`) becomes an Int.
std::optional<value> parse_json(std::string_view text, bool whole_decimals_as_int);

/// A number lexeme (JSON or SQL literal) as Int when it has no fraction or exponent and fits in 64
/// bits, else Decimal (Int when whole and `whole_decimals_as_int`). nullopt if it is not a number.
std::optional<value> number_value(std::string_view lexeme, bool whole_decimals_as_int);

}  // namespace lambkin::rules
