#pragma once
// MQTT's UTF-8 rules (MQTT 5 §1.5.4, 3.1.1 §1.5.3) for every "UTF-8 Encoded String" field.
#include <string_view>

namespace lambkin::mqtt {

/// True if `s` is well-formed UTF-8 (shortest form, no code point above U+10FFFF) with no
/// surrogate code points (U+D800–U+DFFF) and no U+0000. Control characters and non-characters
/// are accepted (the spec only says SHOULD NOT).
bool is_valid_utf8(std::string_view s) noexcept;

}  // namespace lambkin::mqtt
