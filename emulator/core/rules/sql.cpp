#include "emulator/core/rules/sql.hpp"

#include "emulator/core/rules/evaluator.hpp"
#include "emulator/core/rules/functions.hpp"
#include "emulator/core/rules/parser.hpp"

namespace lambkin::rules {

std::optional<sql_version> parse_sql_version(std::string_view text) {
  if (text == "2015-10-08") return sql_version::v2015_10_08;
  if (text == "2016-03-23") return sql_version::v2016_03_23;
  if (text == "beta") return sql_version::beta;
  return std::nullopt;
}

std::string_view to_string(sql_version v) {
  switch (v) {
    case sql_version::v2015_10_08: return "2015-10-08";
    case sql_version::v2016_03_23: return "2016-03-23";
    case sql_version::beta: return "beta";
  }
  return "?";
}

std::string sql_error::what() const {
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
}

const std::string& statement::topic_filter() const { return query_->topic_filter; }
sql_version statement::version() const { return query_->version; }
const std::string& statement::text() const { return query_->text; }

result<statement, sql_error> compile(std::string_view sql, sql_version v) {
  auto q = detail::parse_statement(sql, v);
  if (!q) return q.error();
  return statement(std::move(*q));
}

evaluation evaluate(const statement& s, const message_context& m) {
  const detail::query& q = *s.query_;
  evaluation out;
  try {
    const value doc = detail::payload_document(m, q.version);
    const detail::scope sc{doc, m, q.version, true};
    if (!detail::where_true(q, sc)) return out;
    out.kind = evaluation::outcome::output;
    out.result = detail::select_output(q, sc);
    if (out.result.kind() == value_kind::binary) {
      out.payload = out.result.as_binary();
      out.binary = true;
    } else {
      append_json(out.payload, out.result);
    }
  } catch (const detail::evaluation_failure& f) {
    out = evaluation{};
    out.kind = evaluation::outcome::error;
    out.error_message = f.message;
  }
  return out;
}

result<value, std::string> evaluate_expression(std::string_view text, const message_context& m, sql_version v) {
  auto e = detail::parse_expression(text, v);
  if (!e) return e.error().what();
  try {
    const value doc = detail::payload_document(m, v);
    return detail::eval(**e, detail::scope{doc, m, v, true});
  } catch (const detail::evaluation_failure& f) {
    return f.message;
  }
}

}  // namespace lambkin::rules
