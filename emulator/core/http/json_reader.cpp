#include "emulator/core/http/json_reader.hpp"

#include "emulator/core/text/utf8.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace lambkin::http {
namespace {

constexpr int max_depth = 512;

class parser {
 public:
  explicit parser(std::string_view text) : s_(text) {}

  std::optional<json_value> document() {
    json_value v;
    skip_space();
    if (!value(v, 0)) return std::nullopt;
    skip_space();
    if (pos_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  void skip_space() noexcept {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool take(char c) noexcept {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool literal(std::string_view word) noexcept {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool value(json_value& v, int depth) {
    if (depth > max_depth || pos_ >= s_.size()) return false;
    switch (s_[pos_]) {
      case '{': return object(v, depth);
      case '[': return array(v, depth);
      case '"': v.type = json_value::kind::string; return string(v.text);
      case 't': v.type = json_value::kind::boolean; v.boolean = true; return literal("true");
      case 'f': v.type = json_value::kind::boolean; return literal("false");
      case 'n': v.type = json_value::kind::null; return literal("null");
      default: return number(v);
    }
  }

  bool object(json_value& v, int depth) {
    v.type = json_value::kind::object;
    ++pos_;
    skip_space();
    if (take('}')) return true;
    for (;;) {
      skip_space();
      std::string key;
      if (pos_ >= s_.size() || s_[pos_] != '"' || !string(key)) return false;
      skip_space();
      if (!take(':')) return false;
      skip_space();
      json_value member;
      if (!value(member, depth + 1)) return false;
      v.members.emplace_back(std::move(key), std::move(member));
      skip_space();
      if (take('}')) return true;
      if (!take(',')) return false;
    }
  }

  bool array(json_value& v, int depth) {
    v.type = json_value::kind::array;
    ++pos_;
    skip_space();
    if (take(']')) return true;
    for (;;) {
      skip_space();
      json_value item;
      if (!value(item, depth + 1)) return false;
      v.items.push_back(std::move(item));
      skip_space();
      if (take(']')) return true;
      if (!take(',')) return false;
    }
  }

  bool number(json_value& v) {
    const auto start = pos_;
    take('-');
    if (take('0')) {
    } else if (!digits()) {
      return false;
    }
    if (take('.') && !digits()) return false;
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (!take('+')) take('-');
      if (!digits()) return false;
    }
    v.type = json_value::kind::number;
    v.text.assign(s_.substr(start, pos_ - start));
    return true;
  }
  bool digits() noexcept {
    const auto start = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  std::optional<unsigned> hex4() noexcept {
    if (s_.size() - pos_ < 4) return std::nullopt;
    unsigned code = 0;
    const auto [end, ec] = std::from_chars(s_.data() + pos_, s_.data() + pos_ + 4, code, 16);
    if (ec != std::errc{} || end != s_.data() + pos_ + 4) return std::nullopt;
    pos_ += 4;
    return code;
  }

  bool string(std::string& out) {
    ++pos_;  // the opening quote
    for (;;) {
      if (pos_ >= s_.size()) return false;
      const char c = s_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) return false;
      switch (s_[pos_++]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          auto cp = hex4();
          if (!cp) return false;
          // A surrogate pair is one code point; a lone surrogate becomes U+FFFD.
          if (*cp >= 0xD800 && *cp <= 0xDBFF && s_.substr(pos_, 2) == "\\u") {
            const auto save = pos_;
            pos_ += 2;
            const auto low = hex4();
            if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
              *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
            } else {
              pos_ = save;
              *cp = 0xFFFD;
            }
          } else if (*cp >= 0xD800 && *cp <= 0xDFFF) {
            *cp = 0xFFFD;
          }
          text::append_utf8(out, *cp);
          break;
        }
        default: return false;
      }
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

const json_value* json_value::find(std::string_view key) const noexcept {
  if (type != kind::object) return nullptr;
  for (auto it = members.rbegin(); it != members.rend(); ++it)
    if (it->key == key) return &it->value;
  return nullptr;
}

std::optional<std::int64_t> json_value::as_integer() const noexcept {
  if (type != kind::number) return std::nullopt;
  std::int64_t whole = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), whole);
  if (ec == std::errc{} && end == text.data() + text.size()) return whole;
  // `200.0`, `2e2`: integral values written another way.
  const double d = std::strtod(text.c_str(), nullptr);
  if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e18) return std::nullopt;
  return static_cast<std::int64_t>(d);
}

std::optional<json_value> parse_json(std::string_view text) { return parser(text).document(); }

}  // namespace lambkin::http
