#pragma once
// Tokens of AWS IoT SQL: words (identifiers and keywords, told apart by the parser), numbers,
// strings in single or double quotes (AWS accepts both: `decode(x, "base64")`), and punctuation.
#include "emulator/core/rules/sql.hpp"
#include "emulator/core/text/ascii.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace lambkin::rules::detail {

enum class token_kind { word, number, string, punct, end };

struct token {
  token_kind kind = token_kind::end;
  std::string text;  // a string token's text is its unescaped content
  std::string raw;   // the source text (for error messages)
  int line = 1;
  int column = 1;
  std::size_t offset = 0;  // byte offset in the source
};

/// Splits `sql` into tokens ending with one `end` token, or the first lexical error (an
/// unterminated string, a character that starts no token). `base_line`/`base_column` place the
/// text inside a larger one (templates).
result<std::vector<token>, sql_error> tokenize(std::string_view sql, int base_line = 1, int base_column = 1);

/// Case-insensitive ASCII comparison (keywords and function names).
using text::iequals;

}  // namespace lambkin::rules::detail
