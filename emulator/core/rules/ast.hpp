#pragma once
// The compiled form of a statement: an expression tree per SELECT item and WHERE, built once by
// the parser and only read afterwards (so one statement serves concurrent evaluations).
#include "emulator/core/rules/sql.hpp"
#include "emulator/core/rules/value.hpp"

#include <memory>
#include <string>
#include <vector>

namespace lambkin::rules::detail {

struct function_def;
struct query;

enum class op { add, sub, mul, div, mod, eq, ne, lt, le, gt, ge, and_, or_, neg, not_ };

struct expr {
  enum class kind {
    literal,         // lit
    star,            // `*`: the document (payload, or the element of a nested SELECT)
    field,           // name: a key of the document
    member,          // args[0].name
    index,           // args[0][args[1]]
    call,            // fn(args…)
    cast,            // cast(args[0] AS name)
    unary,           // oper args[0]
    binary,          // args[0] oper args[1]
    case_simple,     // CASE args[0] WHEN args[1] THEN args[2] … [ELSE last] END
    case_searched,   // CASE WHEN args[0] THEN args[1] … [ELSE last] END
    object_literal,  // {keys[i]: args[i]}
    array_literal,   // [args…]
    subquery,        // (SELECT … FROM args…) → sub
  };
  kind k = kind::literal;
  value lit;
  std::string name;
  op oper = op::add;
  std::vector<std::unique_ptr<expr>> args;
  std::vector<std::string> keys;
  const function_def* fn = nullptr;
  std::shared_ptr<const query> sub;
  bool has_else = false;
  int line = 1, column = 1;
};
using expr_ptr = std::unique_ptr<expr>;

struct select_item {
  expr_ptr e;         // null for `*`
  std::string alias;  // the output key (AS name, else derived from the expression)
};

struct query {
  std::string text;
  sql_version version = sql_version::v2016_03_23;
  bool select_value = false;
  std::vector<select_item> items;
  std::string topic_filter;  // the statement's FROM
  expr_ptr source;           // a nested SELECT's FROM expression
  expr_ptr where;
};

}  // namespace lambkin::rules::detail
