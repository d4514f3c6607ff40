#pragma once
// Recursive-descent parser: tokens → query (ast.hpp), with the static checks of compile():
// unknown, external and version-gated functions, argument counts, cast targets, literals and
// nested SELECTs outside 2016-03-23, the FROM topic filter's shape.
#include "emulator/core/rules/ast.hpp"
#include "emulator/core/rules/lexer.hpp"

#include <memory>
#include <string_view>

namespace lambkin::rules::detail {

/// A whole statement: SELECT … [FROM '<filter>'] [WHERE …].
result<std::shared_ptr<const query>, sql_error> parse_statement(std::string_view sql, sql_version v);

/// One expression (a substitution template's `${…}`), positioned at `line`/`column` of a larger text.
result<std::shared_ptr<const expr>, sql_error> parse_expression(std::string_view text, sql_version v,
                                                                int line = 1, int column = 1);

}  // namespace lambkin::rules::detail
