#include "emulator/core/rules/substitution_template.hpp"

#include "emulator/core/rules/conversions.hpp"
#include "emulator/core/rules/evaluator.hpp"
#include "emulator/core/rules/functions.hpp"
#include "emulator/core/rules/parser.hpp"

#include <vector>

namespace lambkin::rules {

namespace detail {
struct template_parts {
  std::string text;
  sql_version version;
  // Alternating: literal[0], expr[0], literal[1], …, literal[n].
  std::vector<std::string> literals;
  std::vector<std::shared_ptr<const expr>> exprs;
};
}  // namespace detail

bool substitution_template::has_expressions() const { return !parts_->exprs.empty(); }
const std::string& substitution_template::text() const { return parts_->text; }

result<substitution_template, sql_error> compile_template(std::string_view text, sql_version v) {
  auto parts = std::make_shared<detail::template_parts>();
  parts->text = std::string(text);
  parts->version = v;
  std::string literal;
  int line = 1, col = 1;
  const auto step = [&](char ch) {
    if (ch == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) {
      ++col;
    }
  };
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "${") != 0) {
      step(text[i]);
      literal += text[i++];
      continue;
    }
    const int start_line = line, start_col = col;
    step('$');
    step('{');
    const std::size_t body = i + 2;
    // The matching '}': quotes and nested braces (object literals) do not end the expression.
    std::size_t j = body;
    int depth = 0;
    char quote = 0;
    for (; j < text.size(); ++j) {
      const char ch = text[j];
      if (quote) {
        if (ch == '\\') ++j;
        else if (ch == quote) quote = 0;
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
      } else if (ch == '{') {
        ++depth;
      } else if (ch == '}') {
        if (depth == 0) break;
        --depth;
      }
    }
    if (j >= text.size()) return sql_error{start_line, start_col, "${", "unterminated '${' in substitution template"};
    auto e = detail::parse_expression(text.substr(body, j - body), v, line, col);
    if (!e) return e.error();
    for (std::size_t k = body; k <= j; ++k) step(text[k]);
    parts->literals.push_back(std::move(literal));
    literal.clear();
    parts->exprs.push_back(std::move(*e));
    i = j + 1;
  }
  parts->literals.push_back(std::move(literal));
  return substitution_template(std::move(parts));
}

result<std::string, render_error> render(const substitution_template& t, const message_context& m) {
  const auto& p = *t.parts_;
  std::string out = p.literals[0];
  if (p.exprs.empty()) return out;
  const value doc = detail::payload_document(m, p.version);
  const detail::scope sc{doc, m, p.version, true};
  try {
    for (std::size_t i = 0; i < p.exprs.size(); ++i) {
      const value v = detail::eval(*p.exprs[i], sc);
      if (auto s = detail::to_text(v)) out += *s;
      out += p.literals[i + 1];
    }
  } catch (const detail::evaluation_failure& f) {
    return render_error{f.message};
  }
  return out;
}

}  // namespace lambkin::rules
