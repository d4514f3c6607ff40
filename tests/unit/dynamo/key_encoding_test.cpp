#include "dynamo_support.hpp"
#include "emulator/core/dynamo/key_encoding.hpp"

#include <algorithm>
#include <vector>

using namespace lambkin::dynamo;
using namespace lambkin::test;

TEST_CASE("encoded numbers sort numerically as bytes") {
  const std::vector<std::string> ordered{"-1e100", "-1000", "-10.5", "-10", "-9", "-0.123", "-0.12", "-0.0001",
                                         "0",      "1e-100", "0.12", "0.123", "1",   "9",  "10", "10.5", "1000", "9.9e125"};
  for (std::size_t i = 0; i + 1 < ordered.size(); ++i) {
    const auto a = encode_key_value(N(ordered[i])), b = encode_key_value(N(ordered[i + 1]));
    CHECK_MESSAGE(a < b, ordered[i] << " < " << ordered[i + 1]);
  }
  CHECK(encode_key_value(N("1.50")) == encode_key_value(N("1.5")));
}

TEST_CASE("strings and binary sort bytewise as UTF-8") {
  CHECK(encode_key_value(S("a")) < encode_key_value(S("b")));
  CHECK(encode_key_value(S("Z")) < encode_key_value(S("a")));
  CHECK(encode_key_value(S("ab")) < encode_key_value(S("abc")));
  CHECK(encode_key_value(S("z")) < encode_key_value(S("\xC3\xA9")));  // é after every ASCII letter
  CHECK(encode_key_value(B(std::string("\x01", 1))) < encode_key_value(B(std::string("\xFF", 1))));
}

TEST_CASE("prefix_successor bounds a begins_with range") {
  CHECK(prefix_successor("abc") == "abd");
  CHECK(prefix_successor(std::string("a\xFF")) == "b");
  CHECK(prefix_successor(std::string("\xFF\xFF")).empty());
}
