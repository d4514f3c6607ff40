#pragma once
// The Invoke API's `FunctionName` + `Qualifier`, parsed and checked as Lambda does, and Lambda
// function ARNs formatted (reference/lambda.md §2.1, §5).
//
// `FunctionName` may be any of
//   my-function                                            a name
//   my-function:v1                                         a name with a qualifier
//   123456789012:function:my-function[:v1]                 a partial ARN
//   arn:aws:lambda:us-west-2:123456789012:function:my-function[:v1]   a full ARN
// i.e. whatever matches Lambda's documented pattern
//   (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?
//   ([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?
// Each optional prefix is taken only when something follows it, so `function` alone is a name.
//
// Errors, as Lambda reports them:
//   - a constraint of the API model (length 1–170, the pattern; a qualifier of 1–128 characters
//     matching `[a-zA-Z0-9$_-]+`) → errc::validation (`ValidationException`) with the model's
//     message: `1 validation error detected: Value 'x' at 'functionName' failed to satisfy
//     constraint: Member must satisfy regular expression pattern: …`;
//   - the function-name part longer than 64 characters → errc::validation, "Member must have
//     length less than or equal to 64" [? the API reference states the limit, not the wording];
//   - a qualifier in the name that differs from `?Qualifier=` → errc::invalid_parameter_value
//     (`InvalidParameterValueException`): `The derived qualifier from the function name does
//     not match the specified qualifier.`
// Pure: no I/O, no allocation beyond the returned strings.
#include "lambkin/error.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace lambkin::lambda {

/// What an Invoke request names. Region and account are set only when the caller wrote them.
struct function_ref {
  std::string name;
  /// A version number, `$LATEST` or an alias name; nullopt = unqualified (runs `$LATEST`).
  std::optional<std::string> qualifier;
  std::optional<std::string> region;
  std::optional<std::string> account;

  friend bool operator==(const function_ref&, const function_ref&) = default;
};

/// `parse_function_name`'s answer: `ref` on success, else `error` + `message` (the AWS text).
struct function_ref_result {
  std::optional<function_ref> ref;
  errc error{};
  std::string message;

  explicit operator bool() const noexcept { return ref.has_value(); }
};

/// Function-name limits (characters): the name itself, and the whole `FunctionName` value.
inline constexpr std::size_t max_function_name_length = 64;
inline constexpr std::size_t max_function_arn_length = 170;
inline constexpr std::size_t max_qualifier_length = 128;

/// Parses `function_name` (already URL-decoded: `%3A` → `:`) and the optional `?Qualifier=`
/// value. An empty `qualifier` counts as absent. When both carry a qualifier they must be equal;
/// the result's `qualifier` is whichever was given.
function_ref_result parse_function_name(std::string_view function_name,
                                        std::optional<std::string_view> qualifier = std::nullopt);

/// True when `q` is a valid qualifier: 1–128 characters of `[a-zA-Z0-9$_-]`.
bool is_valid_qualifier(std::string_view q) noexcept;

/// `arn:aws:lambda:<region>:<account>:function:<name>`, plus `:<qualifier>` when one is given
/// (non-empty).
std::string format_function_arn(std::string_view region, std::string_view account, std::string_view name,
                                std::optional<std::string_view> qualifier = std::nullopt);

}  // namespace lambkin::lambda
