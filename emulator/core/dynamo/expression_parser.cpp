// Recursive descent over expression_lexer's tokens. Precedence, loosest first: OR, AND, NOT,
// then comparisons, BETWEEN, IN and functions; parentheses group conditions.
#include "emulator/core/dynamo/expression_parser.hpp"

#include "emulator/core/dynamo/expression_lexer.hpp"

#include <algorithm>

namespace lambkin::dynamo {
namespace {

const std::vector<std::string_view> condition_functions{"attribute_exists", "attribute_not_exists", "attribute_type",
                                                        "begins_with", "contains"};
const std::vector<std::string_view> comparators{"=", "<>", "<", "<=", ">", ">="};

bool contains_name(const std::vector<std::string_view>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

class parser {
 public:
  parser(std::string_view text, expression_inputs& in, std::string_view which)
      : text_(text), tokens_(tokenize(text)), in_(in), which_(which) {}

  bool empty() const { return tokens_.front().k == token::kind::end; }
  const std::optional<dynamo_error>& failure() const { return error_; }
  bool at_end() const { return peek().k == token::kind::end; }

  dynamo_error fail(std::string message) {
    if (!error_) error_ = validation_error("Invalid " + std::string(which_) + ": " + std::move(message));
    return *error_;
  }
  dynamo_error syntax_error() {
    if (peek().k == token::kind::invalid) return fail("Invalid token");
    const auto& t = peek();
    const auto from = pos_ > 0 ? tokens_[pos_ - 1].pos : t.pos;
    const auto& next = pos_ + 1 < tokens_.size() ? tokens_[pos_ + 1] : t;
    const auto to = std::min(text_.size(), next.pos + next.text.size());
    return fail("Syntax error; token: \"" + (t.k == token::kind::end ? std::string("<EOF>") : t.text) + "\", near: \"" +
                std::string(text_.substr(from, to - from)) + "\"");
  }

  const token& peek(std::size_t ahead = 0) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  bool accept_symbol(std::string_view s) {
    if (peek().k == token::kind::symbol && peek().text == s) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool expect_symbol(std::string_view s) {
    if (accept_symbol(s)) return true;
    syntax_error();
    return false;
  }
  bool accept_keyword(std::string_view upper) {
    if (is_keyword(peek(), upper)) {
      ++pos_;
      return true;
    }
    return false;
  }

  // ---- paths and operands ----
  std::optional<document_path> path() {
    document_path p;
    if (!path_element_name(p)) return std::nullopt;
    while (true) {
      if (accept_symbol(".")) {
        if (!path_element_name(p)) return std::nullopt;
      } else if (accept_symbol("[")) {
        if (peek().k != token::kind::number) return syntax_error(), std::nullopt;
        path_element e;
        e.is_index = true;
        e.index = static_cast<std::size_t>(std::stoull(peek().text.substr(0, 18)));
        ++pos_;
        p.elements.push_back(std::move(e));
        if (!expect_symbol("]")) return std::nullopt;
      } else {
        return p;
      }
    }
  }
  bool path_element_name(document_path& p) {
    const auto& t = peek();
    path_element e;
    if (t.k == token::kind::name_placeholder) {
      auto it = in_.names.find(t.text);
      if (it == in_.names.end()) {
        fail("An expression attribute name used in the document path is not defined; attribute name: " + t.text);
        return false;
      }
      in_.used_names.insert(t.text);
      e.name = it->second;
    } else if (t.k == token::kind::identifier && !is_reserved_operator(t)) {
      e.name = t.text;
    } else {
      syntax_error();
      return false;
    }
    ++pos_;
    p.elements.push_back(std::move(e));
    return true;
  }
  static bool is_reserved_operator(const token& t) {
    for (auto k : {"AND", "OR", "NOT", "BETWEEN", "IN"})
      if (is_keyword(t, k)) return true;
    return false;
  }
  std::optional<operand> value_placeholder() {
    const auto& t = peek();
    auto it = in_.values.find(t.text);
    if (it == in_.values.end()) {
      fail("An expression attribute value used in expression is not defined; attribute value: " + t.text);
      return std::nullopt;
    }
    in_.used_values.insert(t.text);
    ++pos_;
    operand o;
    o.k = operand::kind::value;
    o.value = it->second;
    return o;
  }
  /// An operand of a condition: path, :value or size(path). `update` also allows the SET functions.
  std::optional<operand> simple_operand(bool update) {
    const auto& t = peek();
    if (t.k == token::kind::value_placeholder) return value_placeholder();
    if (t.k == token::kind::identifier && peek(1).k == token::kind::symbol && peek(1).text == "(") {
      const auto name = t.text;
      if (name == "size" && !update) return function_operand(operand::kind::size, 1, update);
      if (update && name == "if_not_exists") return function_operand(operand::kind::if_not_exists, 2, update);
      if (update && name == "list_append") return function_operand(operand::kind::list_append, 2, update);
      if (contains_name(condition_functions, name) || name == "size" || name == "if_not_exists" || name == "list_append")
        return fail("The function is not allowed to be used this way in an expression; function: " + name), std::nullopt;
      return fail("Invalid function name; function: " + name), std::nullopt;
    }
    auto p = path();
    if (!p) return std::nullopt;
    operand o;
    o.k = operand::kind::path;
    o.path = std::move(*p);
    return o;
  }
  std::optional<operand> function_operand(operand::kind k, std::size_t arity, bool update) {
    pos_ += 2;  // name (
    operand o;
    o.k = k;
    for (std::size_t i = 0; i < arity; ++i) {
      if (i > 0 && !expect_symbol(",")) return std::nullopt;
      auto a = simple_operand(update);
      if (!a) return std::nullopt;
      o.args.push_back(std::move(*a));
    }
    if (!expect_symbol(")")) return std::nullopt;
    if ((k == operand::kind::size || k == operand::kind::if_not_exists) && o.args[0].k != operand::kind::path)
      return fail("Operator or function requires a document path; operator or function: " +
                  std::string(k == operand::kind::size ? "size" : "if_not_exists")),
             std::nullopt;
    if (k == operand::kind::size) o.path = o.args[0].path;
    return o;
  }

  // ---- conditions ----
  std::optional<condition> or_condition() {
    auto left = and_condition();
    while (left && accept_keyword("OR")) {
      auto right = and_condition();
      if (!right) return std::nullopt;
      left = binary(condition::kind::or_, std::move(*left), std::move(*right));
    }
    return left;
  }
  std::optional<condition> and_condition() {
    auto left = not_condition();
    while (left && accept_keyword("AND")) {
      auto right = not_condition();
      if (!right) return std::nullopt;
      left = binary(condition::kind::and_, std::move(*left), std::move(*right));
    }
    return left;
  }
  static condition binary(condition::kind k, condition a, condition b) {
    condition c;
    c.k = k;
    c.children.push_back(std::move(a));
    c.children.push_back(std::move(b));
    return c;
  }
  std::optional<condition> not_condition() {
    if (accept_keyword("NOT")) {
      auto inner = not_condition();
      if (!inner) return std::nullopt;
      condition c;
      c.k = condition::kind::not_;
      c.children.push_back(std::move(*inner));
      return c;
    }
    return primary_condition();
  }
  std::optional<condition> primary_condition() {
    if (accept_symbol("(")) {
      auto inner = or_condition();
      if (!inner || !expect_symbol(")")) return std::nullopt;
      return inner;
    }
    const auto& t = peek();
    if (t.k == token::kind::identifier && contains_name(condition_functions, t.text) && peek(1).text == "(")
      return function_condition();
    auto left = simple_operand(false);
    if (!left) return std::nullopt;
    condition c;
    c.operands.push_back(std::move(*left));
    if (peek().k == token::kind::symbol && contains_name(comparators, peek().text)) {
      c.k = condition::kind::compare;
      c.op = peek().text;
      ++pos_;
      auto right = simple_operand(false);
      if (!right) return std::nullopt;
      c.operands.push_back(std::move(*right));
      return c;
    }
    if (accept_keyword("BETWEEN")) {
      c.k = condition::kind::between;
      auto low = simple_operand(false);
      if (!low) return std::nullopt;
      if (!accept_keyword("AND")) return syntax_error(), std::nullopt;
      auto high = simple_operand(false);
      if (!high) return std::nullopt;
      c.operands.push_back(std::move(*low));
      c.operands.push_back(std::move(*high));
      return c;
    }
    if (accept_keyword("IN")) {
      c.k = condition::kind::in;
      if (!expect_symbol("(")) return std::nullopt;
      do {
        auto o = simple_operand(false);
        if (!o) return std::nullopt;
        c.operands.push_back(std::move(*o));
      } while (accept_symbol(","));
      if (!expect_symbol(")")) return std::nullopt;
      return c;
    }
    return syntax_error(), std::nullopt;
  }
  std::optional<condition> function_condition() {
    condition c;
    c.k = condition::kind::function;
    c.op = peek().text;
    pos_ += 2;
    const std::size_t arity = (c.op == "attribute_exists" || c.op == "attribute_not_exists") ? 1 : 2;
    for (std::size_t i = 0; i < arity; ++i) {
      if (i > 0 && !expect_symbol(",")) return std::nullopt;
      auto a = simple_operand(false);
      if (!a) return std::nullopt;
      c.operands.push_back(std::move(*a));
    }
    if (!expect_symbol(")")) return std::nullopt;
    if (c.operands[0].k != operand::kind::path && c.op != "begins_with" && c.op != "contains")
      return fail("Operator or function requires a document path; operator or function: " + c.op), std::nullopt;
    if (c.op == "attribute_type" && (c.operands[1].k != operand::kind::value || c.operands[1].value.type != value_type::S ||
                                     !type_from_name(c.operands[1].value.text)))
      return fail("Invalid attribute type name found; type: " +
                  (c.operands[1].k == operand::kind::value ? c.operands[1].value.text : std::string("?")) +
                  ", valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }"),
             std::nullopt;
    return c;
  }

  // ---- UpdateExpression ----
  std::optional<operand> set_value() {
    auto left = simple_operand(true);
    if (!left) return std::nullopt;
    const bool plus = accept_symbol("+");
    if (!plus && !accept_symbol("-")) return left;
    auto right = simple_operand(true);
    if (!right) return std::nullopt;
    operand o;
    o.k = plus ? operand::kind::plus : operand::kind::minus;
    o.args.push_back(std::move(*left));
    o.args.push_back(std::move(*right));
    return o;
  }
  std::optional<update_expression> update() {
    update_expression u;
    std::set<std::string> seen;
    while (!at_end()) {
      update_action::kind k;
      std::string clause;
      if (accept_keyword("SET")) k = update_action::kind::set, clause = "SET";
      else if (accept_keyword("REMOVE")) k = update_action::kind::remove, clause = "REMOVE";
      else if (accept_keyword("ADD")) k = update_action::kind::add, clause = "ADD";
      else if (accept_keyword("DELETE")) k = update_action::kind::remove_from_set, clause = "DELETE";
      else return syntax_error(), std::nullopt;
      if (!seen.insert(clause).second)
        return fail("The \"" + clause + "\" section can only be used once in an update expression;"), std::nullopt;
      do {
        update_action a;
        a.k = k;
        auto p = path();
        if (!p) return std::nullopt;
        a.path = std::move(*p);
        if (k == update_action::kind::set) {
          if (!expect_symbol("=")) return std::nullopt;
          auto v = set_value();
          if (!v) return std::nullopt;
          a.value = std::move(*v);
        } else if (k != update_action::kind::remove) {
          if (peek().k != token::kind::value_placeholder) return syntax_error(), std::nullopt;
          auto v = value_placeholder();
          if (!v) return std::nullopt;
          a.value = std::move(*v);
        }
        u.actions.push_back(std::move(a));
      } while (accept_symbol(","));
    }
    return u;
  }

 private:
  std::string_view text_;
  std::vector<token> tokens_;
  std::size_t pos_ = 0;
  expression_inputs& in_;
  std::string_view which_;
  std::optional<dynamo_error> error_;
};

std::string joined(const auto& keys, const auto& used) {
  std::string s;
  for (const auto& k : keys) {
    if (used.contains(k)) continue;
    if (!s.empty()) s += ", ";
    s += k;
  }
  return s;
}

}  // namespace

result<condition> parse_condition(std::string_view text, expression_inputs& in, std::string_view which) {
  parser p(text, in, which);
  if (p.empty()) return p.fail("The expression can not be empty;");
  auto c = p.or_condition();
  if (c && !p.at_end()) p.syntax_error();
  if (p.failure()) return *p.failure();
  return std::move(*c);
}

result<update_expression> parse_update(std::string_view text, expression_inputs& in) {
  parser p(text, in, "UpdateExpression");
  if (p.empty()) return p.fail("The expression can not be empty;");
  auto u = p.update();
  if (p.failure()) return *p.failure();
  // Two actions on overlapping paths are refused, whatever their clauses.
  for (std::size_t i = 0; i < u->actions.size(); ++i)
    for (std::size_t j = i + 1; j < u->actions.size(); ++j)
      if (paths_overlap(u->actions[i].path, u->actions[j].path))
        return p.fail("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [" +
                      u->actions[i].path.text() + "], path two: [" + u->actions[j].path.text() + "]");
  return std::move(*u);
}

result<projection> parse_projection(std::string_view text, expression_inputs& in) {
  parser p(text, in, "ProjectionExpression");
  if (p.empty()) return p.fail("The expression can not be empty;");
  projection out;
  do {
    auto path = p.path();
    if (!path) break;
    out.push_back(std::move(*path));
  } while (p.accept_symbol(","));
  if (!p.failure() && !p.at_end()) p.syntax_error();
  if (p.failure()) return *p.failure();
  return out;
}

std::optional<dynamo_error> check_all_used(const expression_inputs& in) {
  std::vector<std::string> value_keys, name_keys;
  for (const auto& [k, v] : in.values) value_keys.push_back(k);
  for (const auto& [k, v] : in.names) name_keys.push_back(k);
  if (auto s = joined(value_keys, in.used_values); !s.empty())
    return validation_error("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + s + "}");
  if (auto s = joined(name_keys, in.used_names); !s.empty())
    return validation_error("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + s + "}");
  return std::nullopt;
}

}  // namespace lambkin::dynamo
