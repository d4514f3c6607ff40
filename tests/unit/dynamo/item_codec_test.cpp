#include "dynamo_support.hpp"
#include "emulator/core/dynamo/item_codec.hpp"

using namespace lambkin::dynamo;
using namespace lambkin::test;

TEST_CASE("every AttributeValue type survives the storage codec") {
  item i{{"s", S("text")},
         {"n", N("-12.5")},
         {"b", B(std::string("\0\1\2", 3))},
         {"t", BOOL(true)},
         {"nul", attribute_value::null()},
         {"m", M({{"inner", L({S("x"), N("1"), M({})})}})},
         {"ss", SS({"a", "b"})},
         {"ns", NS({"1", "2.5"})},
         {"empty", S("")}};
  attribute_value bs;
  bs.type = value_type::BS;
  bs.set = {"x", std::string(300, 'y')};
  i["bs"] = bs;
  const auto bytes = encode_item(i);
  auto back = decode_item(bytes);
  REQUIRE(back);
  CHECK(*back == i);
}

TEST_CASE("truncated or garbage bytes are not an item") {
  const auto bytes = encode_item({{"a", S("hello")}});
  CHECK_FALSE(decode_item(bytes.substr(0, bytes.size() - 1)));
  CHECK_FALSE(decode_item(bytes + "x"));
  CHECK_FALSE(decode_item("\x01\x01" "a\x63"));
}
