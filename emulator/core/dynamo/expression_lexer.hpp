#pragma once
// Tokens of DynamoDB's expression language (internal to the expression parser).
#include <string>
#include <string_view>
#include <vector>

namespace lambkin::dynamo {

struct token {
  enum class kind { identifier, name_placeholder, value_placeholder, number, symbol, end, invalid };
  kind k = kind::end;
  std::string text;  // identifiers and placeholders as written; symbols: = <> < <= > >= ( ) [ ] , . + -
  std::size_t pos = 0;
};

/// Splits `text` into tokens, ending with one `end` token. A character that starts no token
/// yields an `invalid` token (and ends the list).
std::vector<token> tokenize(std::string_view text);

/// Case-insensitive keyword test (AND, OR, NOT, BETWEEN, IN, SET, REMOVE, ADD, DELETE).
bool is_keyword(const token& t, std::string_view upper);

}  // namespace lambkin::dynamo
