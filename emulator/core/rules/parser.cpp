#include "emulator/core/rules/parser.hpp"

#include "emulator/core/rules/functions.hpp"
#include "emulator/core/rules/json.hpp"

#include <array>

namespace lambkin::rules::detail {
namespace {

constexpr int max_depth = 200;  // nesting of parentheses, literals and sub-expressions

constexpr std::array reserved = {"select", "from", "where", "as", "and", "or", "not", "case",
                                 "when", "then", "else", "end", "null", "true", "false"};

bool is_reserved(std::string_view w) {
  for (auto r : reserved)
    if (iequals(w, r)) return true;
  return false;
}

bool valid_topic_filter(std::string_view f) {
  if (f.empty()) return false;
  std::size_t start = 0;
  for (;;) {
    const auto slash = f.find('/', start);
    const auto level = f.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (level.find_first_of("+#") != std::string_view::npos) {
      if (level.size() != 1) return false;
      if (level == "#" && slash != std::string_view::npos) return false;
    }
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

struct parse_failure {
  sql_error error;
};

class parser {
 public:
  parser(std::vector<token> tokens, sql_version v) : t_(std::move(tokens)), v_(v) {}

  std::shared_ptr<const query> statement(std::string_view text) {
    auto q = select_body(/*nested=*/false);
    q->text = std::string(text);
    if (!at_end()) fail_here();
    return q;
  }

  std::shared_ptr<const expr> lone_expression() {
    auto e = expression();
    if (!at_end()) fail_here();
    return e;
  }

 private:
  // ---- token helpers ----
  const token& peek(std::size_t ahead = 0) const {
    return t_[std::min(pos_ + ahead, t_.size() - 1)];
  }
  bool at_end() const { return peek().kind == token_kind::end; }
  bool is_punct(std::string_view p, std::size_t ahead = 0) const {
    return peek(ahead).kind == token_kind::punct && peek(ahead).text == p;
  }
  bool is_word(std::string_view w, std::size_t ahead = 0) const {
    return peek(ahead).kind == token_kind::word && iequals(peek(ahead).text, w);
  }
  const token& next() { return t_[std::min(pos_++, t_.size() - 1)]; }
  bool accept_punct(std::string_view p) {
    if (!is_punct(p)) return false;
    ++pos_;
    return true;
  }
  bool accept_word(std::string_view w) {
    if (!is_word(w)) return false;
    ++pos_;
    return true;
  }

  [[noreturn]] void fail(const token& at, std::string message) {
    throw parse_failure{sql_error{at.line, at.column, at.kind == token_kind::end ? "" : at.raw, std::move(message)}};
  }
  [[noreturn]] void fail_here() {
    const auto& t = peek();
    if (t.kind == token_kind::end) fail(t, "unexpected end of statement");
    fail(t, "unexpected token '" + t.raw + "'");
  }
  void expect_punct(std::string_view p) {
    if (!accept_punct(p)) fail_here();
  }
  void expect_word(std::string_view w) {
    if (!accept_word(w)) fail_here();
  }
  void require_2016(const token& at, std::string_view what) {
    if (v_ == sql_version::v2015_10_08) fail(at, std::string(what) + " require SQL version 2016-03-23");
  }

  struct depth_guard {
    parser& p;
    explicit depth_guard(parser& owner, const token& at) : p(owner) {
      if (++p.depth_ > max_depth) p.fail(at, "expression nested too deeply");
    }
    ~depth_guard() { --p.depth_; }
    depth_guard(const depth_guard&) = delete;
    depth_guard& operator=(const depth_guard&) = delete;
  };

  static expr_ptr node(expr::kind k, const token& at) {
    auto e = std::make_unique<expr>();
    e->k = k;
    e->line = at.line;
    e->column = at.column;
    return e;
  }

  // ---- SELECT ----
  std::shared_ptr<query> select_body(bool nested) {
    auto q = std::make_shared<query>();
    q->version = v_;
    expect_word("select");
    // VALUE is a keyword only where an expression follows it (`SELECT value FROM` and
    // `SELECT value.x` read a field; `SELECT VALUE [1, 2]` is an array literal).
    if (is_word("value") && !(is_word("from", 1) || is_punct(",", 1) || is_word("as", 1) ||
                              is_punct(".", 1) || peek(1).kind == token_kind::end ||
                              (nested && is_punct(")", 1)))) {
      ++pos_;
      q->select_value = true;
      q->items.push_back({expression(), ""});
    } else {
      do {
        q->items.push_back(select_item_());
        name_item(q->items.back(), q->items.size());
      } while (accept_punct(","));
    }
    if (nested) {
      expect_word("from");
      q->source = expression();
    } else if (accept_word("from")) {
      const token& f = next();
      if (f.kind != token_kind::string) fail(f, f.kind == token_kind::end ? "expected a quoted topic filter after FROM"
                                                                             : "expected a quoted topic filter, got '" + f.raw + "'");
      if (!valid_topic_filter(f.text)) fail(f, "invalid topic filter '" + f.text + "'");
      q->topic_filter = f.text;
    }
    if (accept_word("where")) q->where = expression();
    return q;
  }

  select_item select_item_() {
    if (is_punct("*") && (is_punct(",", 1) || is_word("from", 1) || is_word("where", 1) || is_punct(")", 1) ||
                          peek(1).kind == token_kind::end)) {
      ++pos_;
      return {nullptr, ""};
    }
    select_item item{expression(), ""};
    if (accept_word("as")) {
      const token& n = next();
      if (n.kind != token_kind::word && n.kind != token_kind::string) fail(n, n.kind == token_kind::end
                                                                                  ? "expected a name after AS"
                                                                                  : "unexpected token '" + n.raw + "'");
      if (n.kind == token_kind::word && is_reserved(n.text)) fail(n, "unexpected token '" + n.raw + "'");
      item.alias = n.text;
      while (n.kind == token_kind::word && is_punct(".") && peek(1).kind == token_kind::word) {
        ++pos_;
        item.alias += "." + next().text;
      }
    }
    return item;
  }

  // The key of an item without AS: a field's name, a call's function name, else "_<position>".
  static void name_item(select_item& item, std::size_t position) {
    if (!item.e || !item.alias.empty()) return;
    const expr* e = item.e.get();
    while (e->k == expr::kind::index) e = e->args[0].get();
    if (e->k == expr::kind::field || e->k == expr::kind::member) {
      item.alias = e->name;
    } else if (e->k == expr::kind::call) {
      item.alias = std::string(e->fn->name);
    } else {
      item.alias = '_';
      item.alias += std::to_string(position);
    }
  }

  // ---- expressions, loosest first ----
  expr_ptr expression() {
    depth_guard g(*this, peek());
    return or_expr();
  }

  expr_ptr binary(expr_ptr lhs, op o, const token& at, expr_ptr rhs) {
    auto e = node(expr::kind::binary, at);
    e->oper = o;
    e->args.push_back(std::move(lhs));
    e->args.push_back(std::move(rhs));
    return e;
  }

  expr_ptr or_expr() {
    auto lhs = and_expr();
    while (is_word("or")) {
      const token& at = next();
      lhs = binary(std::move(lhs), op::or_, at, and_expr());
    }
    return lhs;
  }

  expr_ptr and_expr() {
    auto lhs = not_expr();
    while (is_word("and")) {
      const token& at = next();
      lhs = binary(std::move(lhs), op::and_, at, not_expr());
    }
    return lhs;
  }

  expr_ptr not_expr() {
    if (is_word("not")) {
      const token& at = next();
      depth_guard g(*this, at);
      auto e = node(expr::kind::unary, at);
      e->oper = op::not_;
      e->args.push_back(not_expr());
      return e;
    }
    return comparison();
  }

  expr_ptr comparison() {
    auto lhs = additive();
    static constexpr std::pair<std::string_view, op> ops[] = {
        {"=", op::eq}, {"<>", op::ne}, {"!=", op::ne}, {"<", op::lt}, {"<=", op::le}, {">", op::gt}, {">=", op::ge}};
    for (;;) {
      bool matched = false;
      for (const auto& [text, o] : ops) {
        if (is_punct(text)) {
          const token& at = next();
          lhs = binary(std::move(lhs), o, at, additive());
          matched = true;
          break;
        }
      }
      if (!matched) return lhs;
    }
  }

  expr_ptr additive() {
    auto lhs = multiplicative();
    while (is_punct("+") || is_punct("-")) {
      const token& at = next();
      lhs = binary(std::move(lhs), at.text == "+" ? op::add : op::sub, at, multiplicative());
    }
    return lhs;
  }

  expr_ptr multiplicative() {
    auto lhs = unary();
    while (is_punct("*") || is_punct("/") || is_punct("%")) {
      const token& at = next();
      const op o = at.text == "*" ? op::mul : at.text == "/" ? op::div : op::mod;
      lhs = binary(std::move(lhs), o, at, unary());
    }
    return lhs;
  }

  expr_ptr unary() {
    if (is_punct("-") || is_punct("+")) {
      const token& at = next();
      depth_guard g(*this, at);
      const bool minus = at.text == "-";
      if (peek().kind == token_kind::number && !is_punct(".", 1) && !is_punct("[", 1)) {
        const token& n = next();  // fold "-5" into one literal
        auto e = node(expr::kind::literal, at);
        e->lit = literal_number(n, minus ? "-" + n.text : n.text);
        return e;
      }
      auto operand = unary();
      if (!minus) return operand;
      auto e = node(expr::kind::unary, at);
      e->oper = op::neg;
      e->args.push_back(std::move(operand));
      return e;
    }
    return postfix();
  }

  expr_ptr postfix() {
    auto e = primary();
    for (;;) {
      if (is_punct(".")) {
        const token& at = next();
        const token& n = next();
        if (n.kind != token_kind::word) fail(n, n.kind == token_kind::end ? "expected a name after '.'"
                                                                          : "unexpected token '" + n.raw + "'");
        auto m = node(expr::kind::member, at);
        m->name = n.text;
        m->args.push_back(std::move(e));
        e = std::move(m);
      } else if (is_punct("[")) {
        const token& at = next();
        auto ix = node(expr::kind::index, at);
        ix->args.push_back(std::move(e));
        ix->args.push_back(expression());
        expect_punct("]");
        e = std::move(ix);
      } else {
        return e;
      }
    }
  }

  value literal_number(const token& at, const std::string& text) {
    auto v = number_value(text, v_ != sql_version::v2015_10_08);
    if (!v) fail(at, "number out of range '" + text + "'");
    return *v;
  }

  expr_ptr primary() {
    const token& t = peek();
    switch (t.kind) {
      case token_kind::end: fail(t, "unexpected end of statement");
      case token_kind::number: {
        next();
        auto e = node(expr::kind::literal, t);
        e->lit = literal_number(t, t.text);
        return e;
      }
      case token_kind::string: {
        next();
        auto e = node(expr::kind::literal, t);
        e->lit = value::string(t.text);
        return e;
      }
      case token_kind::punct: return punct_primary();
      case token_kind::word: return word_primary();
    }
    fail_here();
  }

  expr_ptr punct_primary() {
    const token& t = next();
    depth_guard g(*this, t);
    if (t.text == "*") return node(expr::kind::star, t);
    if (t.text == "(") {
      if (is_word("select")) {
        require_2016(t, "nested SELECT statements");
        auto e = node(expr::kind::subquery, t);
        e->sub = select_body(/*nested=*/true);
        expect_punct(")");
        return e;
      }
      auto e = expression();
      expect_punct(")");
      return e;
    }
    if (t.text == "{") {
      require_2016(t, "object literals");
      auto e = node(expr::kind::object_literal, t);
      if (!accept_punct("}")) {
        do {
          const token& k = next();
          if (k.kind != token_kind::string && k.kind != token_kind::word) fail(k, k.kind == token_kind::end
                                                                                      ? "unexpected end of statement"
                                                                                      : "unexpected token '" + k.raw + "'");
          expect_punct(":");
          e->keys.push_back(k.text);
          e->args.push_back(expression());
        } while (accept_punct(","));
        expect_punct("}");
      }
      return e;
    }
    if (t.text == "[") {
      require_2016(t, "array literals");
      auto e = node(expr::kind::array_literal, t);
      if (!accept_punct("]")) {
        do e->args.push_back(expression());
        while (accept_punct(","));
        expect_punct("]");
      }
      return e;
    }
    --pos_;
    fail_here();
  }

  expr_ptr word_primary() {
    const token& t = next();
    if (iequals(t.text, "null")) {
      auto e = node(expr::kind::literal, t);
      e->lit = value::null();
      return e;
    }
    if (iequals(t.text, "true") || iequals(t.text, "false")) {
      auto e = node(expr::kind::literal, t);
      e->lit = value::boolean(iequals(t.text, "true"));
      return e;
    }
    if (iequals(t.text, "case")) return case_expr(t);
    if (is_punct("(")) return call(t);
    if (is_reserved(t.text)) {
      --pos_;
      fail_here();
    }
    auto e = node(expr::kind::field, t);
    e->name = t.text;
    return e;
  }

  expr_ptr case_expr(const token& at) {
    depth_guard g(*this, at);
    const bool searched = is_word("when");
    auto e = node(searched ? expr::kind::case_searched : expr::kind::case_simple, at);
    if (!searched) e->args.push_back(expression());
    if (!is_word("when")) fail_here();
    while (accept_word("when")) {
      e->args.push_back(expression());
      expect_word("then");
      e->args.push_back(expression());
    }
    if (accept_word("else")) {
      e->args.push_back(expression());
      e->has_else = true;
    }
    expect_word("end");
    return e;
  }

  expr_ptr call(const token& name) {
    depth_guard g(*this, name);
    expect_punct("(");
    if (iequals(name.text, "cast")) return cast(name);
    const function_def* fn = find_function(name.text);
    if (!fn) fail(name, "unknown function '" + name.text + "'");
    if (fn->external) fail(name, "function " + std::string(fn->name) + " is not emulated by lambkin");
    if (fn->since_2016 && v_ == sql_version::v2015_10_08)
      fail(name, "function " + std::string(fn->name) + " requires SQL version 2016-03-23");
    auto e = node(expr::kind::call, name);
    e->fn = fn;
    if (!accept_punct(")")) {
      do e->args.push_back(expression());
      while (accept_punct(","));
      expect_punct(")");
    }
    const int n = static_cast<int>(e->args.size());
    if (n < fn->min_args || (fn->max_args >= 0 && n > fn->max_args)) {
      std::string expected = fn->min_args == fn->max_args ? std::to_string(fn->min_args)
                             : fn->max_args < 0           ? "at least " + std::to_string(fn->min_args)
                                                          : std::to_string(fn->min_args) + " to " + std::to_string(fn->max_args);
      fail(name, "function " + std::string(fn->name) + " takes " + expected + " argument" +
                     (expected == "1" ? "" : "s") + ", got " + std::to_string(n));
    }
    return e;
  }

  expr_ptr cast(const token& name) {
    auto e = node(expr::kind::cast, name);
    e->args.push_back(expression());
    expect_word("as");
    const token& type = next();
    if (type.kind != token_kind::word) fail(type, type.kind == token_kind::end ? "unexpected end of statement"
                                                                                : "unexpected token '" + type.raw + "'");
    static constexpr std::string_view v1_types[] = {"string", "nvarchar", "text", "ntext", "varchar",
                                                    "int", "integer", "double"};
    static constexpr std::string_view v2_types[] = {"decimal", "bool", "boolean"};
    std::string lowered;
    for (char c : type.text) lowered += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    bool known = false;
    for (auto k : v1_types) known = known || lowered == k;
    for (auto k : v2_types) {
      if (lowered == k) {
        if (v_ == sql_version::v2015_10_08) fail(type, "cast to " + type.text + " requires SQL version 2016-03-23");
        known = true;
      }
    }
    if (!known) fail(type, "unknown cast type '" + type.text + "'");
    e->name = lowered;
    expect_punct(")");
    return e;
  }

  std::vector<token> t_;
  sql_version v_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

result<std::shared_ptr<const query>, sql_error> parse_statement(std::string_view sql, sql_version v) {
  auto tokens = tokenize(sql);
  if (!tokens) return tokens.error();
  try {
    parser p(std::move(*tokens), v);
    return p.statement(sql);
  } catch (const parse_failure& f) {
    return f.error;
  }
}

result<std::shared_ptr<const expr>, sql_error> parse_expression(std::string_view text, sql_version v, int line,
                                                                int column) {
  auto tokens = tokenize(text, line, column);
  if (!tokens) return tokens.error();
  try {
    parser p(std::move(*tokens), v);
    return p.lone_expression();
  } catch (const parse_failure& f) {
    return f.error;
  }
}

}  // namespace lambkin::rules::detail
