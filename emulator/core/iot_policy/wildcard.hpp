#pragma once
// IAM-style wildcard matching for policy actions and resources: `*` matches any run of
// characters (also `/` and `:`), `?` exactly one. In a *compiled* pattern (`escape_pattern`,
// policy variables' values), a backslash makes the next character literal.
#include <string>
#include <string_view>

namespace lambkin::iot_policy {

/// Whether `text` matches `pattern`. `ignore_case` compares ASCII letters case-insensitively
/// (actions: "iot:publish" is "iot:Publish"); resources are case sensitive.
bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case = false);

/// `text` with `\`, `*` and `?` escaped: a pattern matching exactly `text`.
std::string escape_pattern(std::string_view text);

/// A pattern as written in a policy (wildcards active) in compiled form: only `\` is escaped.
std::string compile_pattern(std::string_view written);

}  // namespace lambkin::iot_policy
