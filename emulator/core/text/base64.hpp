#pragma once
// Base64 (RFC 4648, standard alphabet, with padding): `X-Amz-Log-Result`, `X-Amz-Client-Context`,
// binary HTTP bodies, and the rules engine's encode()/decode().
#include <optional>
#include <string>
#include <string_view>

namespace lambkin::text {

std::string base64_encode(std::string_view bytes);

/// nullopt for anything that is not valid base64 (wrong characters, bad padding or length).
/// Whitespace is not accepted.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace lambkin::text
