#include "emulator/core/rules/lexer.hpp"

namespace lambkin::rules::detail {
namespace {

bool word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool word_char(char c) { return word_start(c) || (c >= '0' && c <= '9'); }
bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace


result<std::vector<token>, sql_error> tokenize(std::string_view s, int base_line, int base_column) {
  std::vector<token> out;
  int line = base_line, col = base_column;
  std::size_t i = 0;
  const auto advance = [&](std::size_t n) {
    for (std::size_t k = 0; k < n && i < s.size(); ++k, ++i) {
      if (s[i] == '\n') {
        ++line;
        col = 1;
      } else if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {  // count characters, not bytes
        ++col;
      }
    }
  };
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      advance(1);
      continue;
    }
    token t;
    t.line = line;
    t.column = col;
    t.offset = i;
    const std::size_t start = i;
    if (word_start(c)) {
      std::size_t j = i;
      while (j < s.size() && word_char(s[j])) ++j;
      t.kind = token_kind::word;
      t.text = std::string(s.substr(i, j - i));
      advance(j - i);
    } else if (digit(c)) {
      std::size_t j = i;
      while (j < s.size() && digit(s[j])) ++j;
      if (j + 1 < s.size() && s[j] == '.' && digit(s[j + 1])) {
        ++j;
        while (j < s.size() && digit(s[j])) ++j;
      }
      if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        std::size_t k = j + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        if (k < s.size() && digit(s[k])) {
          while (k < s.size() && digit(s[k])) ++k;
          j = k;
        }
      }
      t.kind = token_kind::number;
      t.text = std::string(s.substr(i, j - i));
      advance(j - i);
    } else if (c == '\'' || c == '"') {
      // Quotes are doubled (`'it''s'`) or backslash-escaped (`'it\'s'`).
      std::string text;
      std::size_t j = i + 1;
      bool closed = false;
      while (j < s.size()) {
        if (s[j] == c) {
          if (j + 1 < s.size() && s[j + 1] == c) {
            text += c;
            j += 2;
            continue;
          }
          closed = true;
          ++j;
          break;
        }
        if (s[j] == '\\' && j + 1 < s.size()) {
          const char e = s[j + 1];
          switch (e) {
            case 'n': text += '\n'; break;
            case 't': text += '\t'; break;
            case 'r': text += '\r'; break;
            default: text += e;
          }
          j += 2;
          continue;
        }
        text += s[j++];
      }
      if (!closed)
        return sql_error{t.line, t.column, std::string(s.substr(i, 20)), "unterminated string"};
      t.kind = token_kind::string;
      t.text = std::move(text);
      advance(j - i);
    } else {
      static constexpr std::string_view two[] = {"<>", "!=", "<=", ">="};
      std::size_t n = 0;
      for (auto op : two)
        if (s.substr(i, 2) == op) n = 2;
      if (n == 0) {
        static constexpr std::string_view one = "()[]{},.:*+-/%=<>";
        if (one.find(c) == std::string_view::npos)
          return sql_error{t.line, t.column, std::string(1, c), "unexpected character '" + std::string(1, c) + "'"};
        n = 1;
      }
      t.kind = token_kind::punct;
      t.text = std::string(s.substr(i, n));
      advance(n);
    }
    t.raw = std::string(s.substr(start, i - start));
    out.push_back(std::move(t));
  }
  token end;
  end.line = line;
  end.column = col;
  end.offset = s.size();
  out.push_back(std::move(end));
  return out;
}

}  // namespace lambkin::rules::detail
