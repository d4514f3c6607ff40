#pragma once
// Writes the event documents API Gateway sends to functions, member by member, in the order
// AWS's examples show them. Strings are escaped as JSON requires; bytes that are not UTF-8
// become U+FFFD so the document always parses (a function never sees invalid JSON).
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambkin::http {

/// True when `s` is well-formed UTF-8 (shortest forms, no surrogates, at most U+10FFFF).
bool is_utf8(std::string_view s) noexcept;

/// `s` as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

/// An object or array under construction; `finish()` closes it. Keys and values are appended in
/// call order; nested values come in as finished text (`raw`).
class json_writer {
 public:
  /// `array`: write `[…]` (keys passed to the member functions are ignored).
  explicit json_writer(bool array = false);

  json_writer& string(std::string_view key, std::string_view value);
  json_writer& number(std::string_view key, std::int64_t value);
  json_writer& boolean(std::string_view key, bool value);
  json_writer& null(std::string_view key);
  /// `value` is already JSON text.
  json_writer& raw(std::string_view key, std::string_view value);
  /// `{"k":"v",…}` from pairs, in order.
  json_writer& string_map(std::string_view key, const std::vector<std::pair<std::string, std::string>>& map);

  std::string finish();

 private:
  void key(std::string_view k);
  std::string out_;
  bool array_;
  bool first_ = true;
};

}  // namespace lambkin::http
