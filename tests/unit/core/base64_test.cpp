#include "emulator/core/text/base64.hpp"

#include <doctest/doctest.h>

using lambkin::text::base64_decode;
using lambkin::text::base64_encode;

TEST_CASE("base64 encodes RFC 4648's test vectors") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64_encode(std::string("\xff\xfe\x00", 3)) == "//4A");
}

TEST_CASE("base64 decodes what it encodes and rejects what is not base64") {
  for (const char* s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) CHECK(base64_decode(base64_encode(s)) == s);
  CHECK(base64_decode("//4A") == std::string("\xff\xfe\x00", 3));
  CHECK_FALSE(base64_decode("Zm9"));       // length
  CHECK_FALSE(base64_decode("Zm9v!A=="));  // alphabet
  CHECK_FALSE(base64_decode("Z==v"));      // padding in the middle
  CHECK_FALSE(base64_decode("Zg==Zm9v"));  // padding before the last group
  CHECK_FALSE(base64_decode("Zm 9v"));
}
