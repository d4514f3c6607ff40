#pragma once
// Percent-decoding and query strings, as the AWS APIs and API Gateway need them.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambkin::text {

/// `%3A` → `:`; `plus_is_space` also turns `+` into a space (query strings). nullopt for a
/// malformed escape (`%4`, `%zz`).
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space = false);

/// `a=1&b=&c` → {{"a","1"},{"b",""},{"c",""}}, each part percent-decoded (with `+` as space);
/// malformed escapes are kept verbatim. Empty parts are skipped.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

/// The path and the query of a request target (`/a/b?x=1` → `/a/b`, `x=1`).
std::pair<std::string_view, std::string_view> split_target(std::string_view target) noexcept;

}  // namespace lambkin::text
