// FunctionName / Qualifier parsing by hand: the pattern is simple enough, and <regex> is slow
// to compile and differs between standard libraries.
#include "emulator/core/lambda/function_arn.hpp"

#include <vector>

namespace lambkin::lambda {
namespace {

constexpr std::string_view function_name_pattern =
    "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?"
    "([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
constexpr std::string_view qualifier_pattern = "(|[a-zA-Z0-9$_-]+)";

bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
bool is_alpha(char c) noexcept { return is_lower(c) || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_word(char c) noexcept { return is_alpha(c) || is_digit(c) || c == '-' || c == '_'; }

template <class Pred>
bool all_of(std::string_view s, Pred p) {
  for (char c : s)
    if (!p(c)) return false;
  return !s.empty();
}

// `aws[a-zA-Z-]*` or empty (the partition: aws, aws-cn, aws-us-gov…).
bool is_partition(std::string_view s) noexcept {
  if (s.empty()) return true;
  if (!s.starts_with("aws")) return false;
  for (char c : s.substr(3))
    if (!is_alpha(c) && c != '-') return false;
  return true;
}

// `[a-z]+-\d`: the tail of a region name.
bool is_region_tail(std::string_view s) noexcept {
  return s.size() >= 3 && is_digit(s.back()) && s[s.size() - 2] == '-' && all_of(s.substr(0, s.size() - 2), is_lower);
}

// `[a-z]{2}(-gov)?-[a-z]+-\d{1}`, e.g. us-east-1, us-gov-west-1.
bool is_region(std::string_view s) noexcept {
  if (s.size() < 3 || !is_lower(s[0]) || !is_lower(s[1]) || s[2] != '-') return false;
  const auto tail = s.substr(3);
  return is_region_tail(tail) || (tail.starts_with("gov-") && is_region_tail(tail.substr(4)));
}

bool is_account(std::string_view s) noexcept { return s.size() == 12 && all_of(s, is_digit); }

bool is_name(std::string_view s) noexcept {
  return all_of(s, [](char c) { return is_word(c) || c == '.'; });
}

bool is_name_qualifier(std::string_view s) noexcept { return s == "$LATEST" || all_of(s, is_word); }

std::vector<std::string_view> split_colons(std::string_view s) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = s.find(':');
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

// Matches the documented pattern; nullopt when it doesn't match.
std::optional<function_ref> match_function_name(std::string_view s) {
  const auto parts = split_colons(s);
  std::size_t i = 0;
  const auto more_after = [&](std::size_t k) { return k + 1 < parts.size(); };
  function_ref ref;
  if (parts.size() >= 4 && parts[0] == "arn" && is_partition(parts[1]) && parts[2] == "lambda") i = 3;
  if (more_after(i) && is_region(parts[i])) ref.region = std::string(parts[i++]);
  if (more_after(i) && is_account(parts[i])) ref.account = std::string(parts[i++]);
  if (more_after(i) && parts[i] == "function") ++i;
  if (i >= parts.size() || !is_name(parts[i])) return std::nullopt;
  ref.name = std::string(parts[i++]);
  if (i < parts.size()) {
    if (!is_name_qualifier(parts[i])) return std::nullopt;
    ref.qualifier = std::string(parts[i++]);
  }
  if (i != parts.size()) return std::nullopt;
  return ref;
}

std::string violation(std::string_view value, std::string_view member, std::string_view constraint) {
  std::string s = "Value '";
  s += value;
  s += "' at '";
  s += member;
  s += "' failed to satisfy constraint: ";
  s += constraint;
  return s;
}

std::string validation_message(const std::vector<std::string>& violations) {
  std::string s = std::to_string(violations.size());
  s += violations.size() == 1 ? " validation error detected: " : " validation errors detected: ";
  for (std::size_t i = 0; i < violations.size(); ++i) {
    if (i) s += "; ";
    s += violations[i];
  }
  return s;
}

function_ref_result failure(errc e, std::string message) { return {std::nullopt, e, std::move(message)}; }

}  // namespace

bool is_valid_qualifier(std::string_view q) noexcept {
  return q.size() <= max_qualifier_length && all_of(q, [](char c) { return is_word(c) || c == '$'; });
}

function_ref_result parse_function_name(std::string_view function_name, std::optional<std::string_view> qualifier) {
  if (qualifier && qualifier->empty()) qualifier.reset();

  // Model constraints first, all of them, as the API's validation layer reports them together.
  std::vector<std::string> violations;
  std::optional<function_ref> ref;
  if (function_name.empty()) {
    violations.push_back(violation(function_name, "functionName", "Member must have length greater than or equal to 1"));
  } else {
    if (function_name.size() > max_function_arn_length)
      violations.push_back(violation(function_name, "functionName",
                                     "Member must have length less than or equal to 170"));
    ref = match_function_name(function_name);
    if (!ref) {
      violations.push_back(violation(function_name, "functionName",
                                     std::string("Member must satisfy regular expression pattern: ") +
                                         std::string(function_name_pattern)));
    }
  }
  if (qualifier) {
    if (qualifier->size() > max_qualifier_length)
      violations.push_back(violation(*qualifier, "qualifier", "Member must have length less than or equal to 128"));
    if (!all_of(*qualifier, [](char c) { return is_word(c) || c == '$'; }))
      violations.push_back(violation(*qualifier, "qualifier",
                                     std::string("Member must satisfy regular expression pattern: ") +
                                         std::string(qualifier_pattern)));
  }
  if (!violations.empty()) return failure(errc::validation, validation_message(violations));

  if (ref->name.size() > max_function_name_length) {
    return failure(errc::validation,
                   validation_message({violation(function_name, "functionName",
                                                 "Member must have length less than or equal to 64")}));
  }
  if (qualifier) {
    if (ref->qualifier && *ref->qualifier != *qualifier) {
      return failure(errc::invalid_parameter_value,
                     "The derived qualifier from the function name does not match the specified qualifier.");
    }
    ref->qualifier = std::string(*qualifier);
  }
  return {std::move(ref), errc{}, {}};
}

std::string format_function_arn(std::string_view region, std::string_view account, std::string_view name,
                                std::optional<std::string_view> qualifier) {
  std::string arn = "arn:aws:lambda:";
  arn += region;
  arn += ':';
  arn += account;
  arn += ":function:";
  arn += name;
  if (qualifier && !qualifier->empty()) {
    arn += ':';
    arn += *qualifier;
  }
  return arn;
}

}  // namespace lambkin::lambda
