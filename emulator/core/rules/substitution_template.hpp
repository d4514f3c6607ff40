#pragma once
// Substitution templates (`${expr}` inside action parameters: a republish topic, an S3 key, a
// Lambda ARN, HTTP headers…). Each `${…}` is an AWS IoT SQL expression evaluated against the
// ORIGINAL message, never the SELECT output, so SELECT aliases are not visible.
//
//   auto t = rules::compile_template("alerts/${topic(2)}/temp", rules::sql_version::v2016_03_23);
//   auto topic = rules::render(*t, message);   // "alerts/32/temp"
#include "emulator/core/result.hpp"
#include "emulator/core/rules/sql.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace lambkin::rules {

namespace detail {
struct template_parts;
}
struct render_error;

class substitution_template {
 public:
  /// True when the text has at least one `${…}` (actions may then skip rendering).
  bool has_expressions() const;
  const std::string& text() const;

 private:
  explicit substitution_template(std::shared_ptr<const detail::template_parts> p) : parts_(std::move(p)) {}
  std::shared_ptr<const detail::template_parts> parts_;
  friend result<substitution_template, sql_error> compile_template(std::string_view, sql_version);
  friend result<std::string, render_error> render(const substitution_template&, const message_context&);
};

struct render_error {
  std::string message;
};

/// Parses the `${…}` expressions. `$$` is not special here (the republish action's `$$` for
/// reserved topics is the action's business). An unterminated `${` is an error; a `}` inside a
/// quoted string of an expression does not end it. Positions in errors are within `text`.
result<substitution_template, sql_error> compile_template(std::string_view text,
                                                          sql_version v = sql_version::v2016_03_23);

/// Replaces each `${expr}` by the expression's value as a string (strings unquoted, numbers and
/// booleans as text, objects and arrays as JSON, Undefined and Null as the empty string).
result<std::string, render_error> render(const substitution_template& t, const message_context& m);

}  // namespace lambkin::rules
