// String functions. Strings are indexed and measured by character (Unicode code point); AWS's
// Java engine counts UTF-16 units, which differs only outside the Basic Multilingual Plane, except
// length(), which counts UTF-16 units as Java does.
#include "emulator/core/rules/conversions.hpp"
#include "emulator/core/text/utf8.hpp"
#include "emulator/core/rules/function_impls.hpp"

#include <algorithm>

namespace lambkin::rules::detail {
namespace {

value map_ascii(const value& v, bool upper) {
  auto s = to_text(v);
  if (!s) return {};
  for (auto& ch : *s) {
    if (upper && ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    if (!upper && ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return value::string(std::move(*s));
}

bool is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v'; }

value trim_text(const value& v, bool left, bool right) {
  auto s = to_text(v);
  if (!s) return {};
  std::size_t b = 0, e = s->size();
  if (left)
    while (b < e && is_space((*s)[b])) ++b;
  if (right)
    while (e > b && is_space((*s)[e - 1])) --e;
  return value::string(s->substr(b, e - b));
}

value pad(std::span<const value> a, bool left) {
  auto s = to_text(a[0]);
  auto n = to_int_floor(a[1]);
  if (!s || !n) return {};
  const auto count = static_cast<std::size_t>(std::clamp<std::int64_t>(*n, 0, 1000));
  return value::string(left ? std::string(count, ' ') + *s : *s + std::string(count, ' '));
}

// startswith/endswith: Null or Undefined on either side is Undefined; anything else is converted.
value affix(std::span<const value> a, bool prefix) {
  auto s = to_text(a[0]);
  auto p = to_text(a[1]);
  if (!s || !p) return {};
  if (p->size() > s->size()) return value::boolean(false);
  return value::boolean(prefix ? s->compare(0, p->size(), *p) == 0
                               : s->compare(s->size() - p->size(), p->size(), *p) == 0);
}

}  // namespace

std::u32string to_code_points(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    char32_t cp = extra == 3 ? (c & 0x07) : extra == 2 ? (c & 0x0F) : extra == 1 ? (c & 0x1F) : c;
    ++i;
    for (; extra > 0 && i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80; --extra, ++i)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
    out += cp;
  }
  return out;
}

std::string to_utf8(std::u32string_view cps) {
  std::string out;
  for (char32_t cp : cps) text::append_utf8(out, static_cast<std::uint32_t>(cp));
  return out;
}

value fn_upper(std::span<const value> a, const call_context&) { return map_ascii(a[0], true); }
value fn_lower(std::span<const value> a, const call_context&) { return map_ascii(a[0], false); }
value fn_trim(std::span<const value> a, const call_context&) { return trim_text(a[0], true, true); }
value fn_ltrim(std::span<const value> a, const call_context&) { return trim_text(a[0], true, false); }
value fn_rtrim(std::span<const value> a, const call_context&) { return trim_text(a[0], false, true); }

value fn_length(std::span<const value> a, const call_context&) {
  auto s = to_text(a[0]);
  if (!s) return {};
  std::int64_t units = 0;
  for (char32_t cp : to_code_points(*s)) units += cp >= 0x10000 ? 2 : 1;  // UTF-16 units, like Java
  return value::integer(units);
}

value fn_numbytes(std::span<const value> a, const call_context&) {
  auto s = to_text(a[0]);
  return s ? value::integer(static_cast<std::int64_t>(s->size())) : value{};
}

value fn_substring(std::span<const value> a, const call_context&) {
  auto s = to_text(a[0]);
  auto from = to_int_floor(a[1]);
  if (!s || !from) {
    // substring(false, -2.411E247): an index beyond 64 bits still clamps (to 0 or the length).
    if (s && a[1].kind() == value_kind::decimal) from = a[1].as_decimal().sign() < 0 ? 0 : INT64_MAX;
    else return {};
  }
  const auto cps = to_code_points(*s);
  const auto len = static_cast<std::int64_t>(cps.size());
  std::int64_t to = len;
  if (a.size() == 3) {
    auto t = to_int_floor(a[2]);
    if (!t) {
      if (a[2].kind() == value_kind::decimal) t = a[2].as_decimal().sign() < 0 ? 0 : INT64_MAX;
      else return {};
    }
    to = *t;
  }
  const auto b = std::clamp<std::int64_t>(*from, 0, len);
  const auto e = std::clamp<std::int64_t>(to, 0, len);
  if (b >= e) return value::string("");
  return value::string(to_utf8(std::u32string_view(cps).substr(static_cast<std::size_t>(b), static_cast<std::size_t>(e - b))));
}

value fn_indexof(std::span<const value> a, const call_context&) {
  auto s = to_text(a[0]);
  auto needle = to_text(a[1]);
  if (!s || !needle) return {};
  const auto pos = to_code_points(*s).find(to_code_points(*needle));
  return value::integer(pos == std::u32string::npos ? -1 : static_cast<std::int64_t>(pos));
}

value fn_startswith(std::span<const value> a, const call_context&) { return affix(a, true); }
value fn_endswith(std::span<const value> a, const call_context&) { return affix(a, false); }
value fn_lpad(std::span<const value> a, const call_context&) { return pad(a, true); }
value fn_rpad(std::span<const value> a, const call_context&) { return pad(a, false); }

value fn_replace(std::span<const value> a, const call_context&) {
  auto s = to_text(a[0]);
  auto from = to_text(a[1]);
  auto to = to_text(a[2]);
  if (!s || !from || !to) return {};
  std::string out;
  if (from->empty()) {  // like Java: the replacement goes before every character and at the end
    for (char32_t cp : to_code_points(*s)) out += *to + to_utf8(std::u32string(1, cp));
    return value::string(out + *to);
  }
  std::size_t start = 0;
  for (;;) {
    const auto hit = s->find(*from, start);
    if (hit == std::string::npos) break;
    out.append(*s, start, hit - start);
    out += *to;
    start = hit + from->size();
  }
  out.append(*s, start);
  return value::string(std::move(out));
}

value fn_chr(std::span<const value> a, const call_context&) {
  auto n = to_int_floor(a[0]);
  if (!n || *n < 0 || *n > 127) return {};
  return value::string(std::string(1, static_cast<char>(*n)));
}

// concat(): with any Array argument, one Array of every argument (arrays spliced in); otherwise
// the string conversions of all arguments joined.
value fn_concat(std::span<const value> a, const call_context&) {
  if (a.empty()) return {};
  if (a.size() == 1 && a[0].kind() == value_kind::array) return a[0];
  const bool any_array = std::any_of(a.begin(), a.end(), [](const value& v) { return v.kind() == value_kind::array; });
  if (any_array) {
    array out;
    for (const auto& v : a) {
      if (v.kind() == value_kind::array) {
        out.insert(out.end(), v.as_array().begin(), v.as_array().end());
      } else if (!v.is_undefined()) {
        out.push_back(v);
      }
    }
    return value::make_array(std::move(out));
  }
  std::string out;
  for (const auto& v : a) {
    auto s = to_text(v);
    if (!s) return {};
    out += *s;
  }
  return value::string(std::move(out));
}

}  // namespace lambkin::rules::detail
