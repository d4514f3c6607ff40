#include "emulator/core/dynamo/expression_lexer.hpp"

#include <cctype>

namespace lambkin::dynamo {
namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

std::vector<token> tokenize(std::string_view text) {
  std::vector<token> out;
  std::size_t i = 0;
  while (true) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i == text.size()) break;
    const auto start = i;
    const char c = text[i];
    token t;
    t.pos = start;
    if (c == '#' || c == ':') {
      ++i;
      while (i < text.size() && word_char(text[i])) ++i;
      t.k = c == '#' ? token::kind::name_placeholder : token::kind::value_placeholder;
      if (i == start + 1) t.k = token::kind::invalid;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
      t.k = token::kind::number;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (i < text.size() && word_char(text[i])) ++i;
      t.k = token::kind::identifier;
    } else if ((c == '<' || c == '>') && i + 1 < text.size() && (text[i + 1] == '=' || (c == '<' && text[i + 1] == '>'))) {
      i += 2;
      t.k = token::kind::symbol;
    } else if (std::string_view("=<>()[],.+-").find(c) != std::string_view::npos) {
      ++i;
      t.k = token::kind::symbol;
    } else {
      ++i;
      t.k = token::kind::invalid;
    }
    t.text = std::string(text.substr(start, i - start));
    out.push_back(std::move(t));
    if (out.back().k == token::kind::invalid) return out;
  }
  token end;
  end.pos = text.size();
  out.push_back(end);
  return out;
}

bool is_keyword(const token& t, std::string_view upper) {
  if (t.k != token::kind::identifier || t.text.size() != upper.size()) return false;
  for (std::size_t i = 0; i < upper.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(t.text[i])) != upper[i]) return false;
  return true;
}

}  // namespace lambkin::dynamo
