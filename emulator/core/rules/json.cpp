#include "emulator/core/rules/json.hpp"

#include "emulator/core/text/utf8.hpp"

#include <charconv>

namespace lambkin::rules {
namespace {

constexpr int max_depth = 512;

using text::append_utf8;

class parser {
 public:
  parser(std::string_view text, bool quirk) : s_(text), quirk_(quirk) {}

  std::optional<value> document() {
    auto v = parse_value(0);
    if (!v) return std::nullopt;
    skip_ws();
    if (i_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  bool eat(char c) {
    skip_ws();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool word(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }

  std::optional<value> parse_value(int depth) {
    if (depth > max_depth) return std::nullopt;
    skip_ws();
    if (i_ >= s_.size()) return std::nullopt;
    const char c = s_[i_];
    if (c == '{') return parse_object(depth);
    if (c == '[') return parse_array(depth);
    if (c == '"') {
      std::string str;
      if (!parse_string(str)) return std::nullopt;
      return value::string(std::move(str));
    }
    if (word("true")) return value::boolean(true);
    if (word("false")) return value::boolean(false);
    if (word("null")) return value::null();
    return parse_number();
  }

  std::optional<value> parse_object(int depth) {
    ++i_;
    object members;
    members.reserve(8);
    if (eat('}')) return value::make_object(std::move(members));
    do {
      skip_ws();
      std::string key;
      if (i_ >= s_.size() || s_[i_] != '"' || !parse_string(key)) return std::nullopt;
      if (!eat(':')) return std::nullopt;
      auto v = parse_value(depth + 1);
      if (!v) return std::nullopt;
      members.push_back({std::move(key), std::move(*v)});
    } while (eat(','));
    if (!eat('}')) return std::nullopt;
    return value::make_object(std::move(members));
  }

  std::optional<value> parse_array(int depth) {
    ++i_;
    array items;
    if (eat(']')) return value::make_array(std::move(items));
    do {
      auto v = parse_value(depth + 1);
      if (!v) return std::nullopt;
      items.push_back(std::move(*v));
    } while (eat(','));
    if (!eat(']')) return std::nullopt;
    return value::make_array(std::move(items));
  }

  bool hex4(std::uint32_t& out) {
    if (i_ + 4 > s_.size()) return false;
    out = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = s_[i_++];
      out <<= 4;
      if (h >= '0' && h <= '9') out |= static_cast<std::uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f') out |= static_cast<std::uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') out |= static_cast<std::uint32_t>(h - 'A' + 10);
      else return false;
    }
    return true;
  }

  bool parse_string(std::string& out) {
    ++i_;  // opening quote
    for (;;) {
      const std::size_t start = i_;
      while (i_ < s_.size() && s_[i_] != '"' && s_[i_] != '\\' && static_cast<unsigned char>(s_[i_]) >= 0x20) ++i_;
      out.append(s_.substr(start, i_ - start));
      if (i_ >= s_.size() || static_cast<unsigned char>(s_[i_]) < 0x20) return false;
      if (s_[i_] == '"') {
        ++i_;
        return true;
      }
      ++i_;  // backslash
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && s_.substr(i_, 2) == "\\u") {
            const auto save = i_;
            i_ += 2;
            std::uint32_t lo = 0;
            if (hex4(lo) && lo >= 0xDC00 && lo < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              i_ = save;
            }
          }
          append_utf8(out, cp);
          break;
        }
        default: return false;
      }
    }
  }

  std::optional<value> parse_number() {
    const std::size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    if (i_ >= s_.size()) return std::nullopt;
    if (s_[i_] == '0') {
      ++i_;
      if (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') return std::nullopt;  // no leading zeros
    } else if (s_[i_] >= '1' && s_[i_] <= '9') {
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    } else {
      return std::nullopt;
    }
    while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.' ||
                              s_[i_] == 'e' || s_[i_] == 'E' || s_[i_] == '+' || s_[i_] == '-'))
      ++i_;
    const auto lexeme = s_.substr(start, i_ - start);
    // The common payload decimal ("21.5"): checked here, converted only if a rule computes with it.
    if (lexeme.find_first_of("eE") == std::string_view::npos && lexeme.find('.') != std::string_view::npos &&
        lexeme.back() != '.' && lexeme.find('.') == lexeme.rfind('.') && lexeme.find('-', 1) == std::string_view::npos &&
        lexeme.find('+') == std::string_view::npos) {
      const auto dot = lexeme.find('.');
      const bool whole = lexeme.find_first_not_of('0', dot + 1) == std::string_view::npos;
      if (!(quirk_ && whole)) return value::number(decimal::deferred(lexeme));
    }
    return number_value(lexeme, quirk_);
  }

  std::string_view s_;
  bool quirk_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<value> number_value(std::string_view lexeme, bool whole_decimals_as_int) {
  if (lexeme.find_first_of(".eE") == std::string_view::npos) {
    std::int64_t i = 0;
    auto r = std::from_chars(lexeme.data(), lexeme.data() + lexeme.size(), i);
    if (r.ec == std::errc{} && r.ptr == lexeme.data() + lexeme.size()) return value::integer(i);
  }
  auto d = decimal::parse(lexeme);
  if (!d) return std::nullopt;
  if (whole_decimals_as_int) {
    // Fast path for the common "21.5"/"10.0" shapes: whole iff every fraction digit is 0.
    const auto dot = lexeme.find('.');
    const bool has_exp = lexeme.find_first_of("eE") != std::string_view::npos;
    bool whole;
    if (!has_exp && dot != std::string_view::npos) {
      whole = lexeme.find_first_not_of('0', dot + 1) == std::string_view::npos;
    } else {
      whole = d->is_whole();
    }
    if (whole)
      if (auto i = d->exact_int()) return value::integer(*i);
  }
  return value::number(std::move(*d));
}

std::optional<value> parse_json(std::string_view text, bool whole_decimals_as_int) {
  return parser(text, whole_decimals_as_int).document();
}

}  // namespace lambkin::rules
