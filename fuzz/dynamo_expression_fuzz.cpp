// libFuzzer target for DynamoDB's expressions (emulator/core/dynamo): the input text is parsed as a
// ConditionExpression (then evaluated against an item and reduced as a KeyConditionExpression for
// two key schemas), as an UpdateExpression (then applied to a copy of the item) and as a
// ProjectionExpression (then applied); the same bytes are also decoded as a stored item
// (item_codec), which must re-encode to itself. Build: -DLAMBKIN_BUILD_FUZZ=ON with clang; run:
//   ./dynamo_expression_fuzz -max_total_time=60 -max_len=512 fuzz/corpus/dynamo_expression
// `#n…` names and `:v…` values below are defined, so seeds can reach past the "not defined" checks.
// Anything but a crash, a sanitizer report, a hang or a leak is fine: errors are values.
#include "emulator/core/dynamo/condition_eval.hpp"
#include "emulator/core/dynamo/expression_parser.hpp"
#include "emulator/core/dynamo/item_codec.hpp"
#include "emulator/core/dynamo/key_condition.hpp"
#include "emulator/core/dynamo/update_apply.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

namespace dy = lambkin::dynamo;

dy::attribute_value list_of(std::initializer_list<dy::attribute_value> l) {
  dy::attribute_value v;
  v.type = dy::value_type::L;
  v.list = l;
  return v;
}

dy::attribute_value map_of(dy::item m) {
  dy::attribute_value v;
  v.type = dy::value_type::M;
  v.map = std::move(m);
  return v;
}

dy::attribute_value set_value(dy::value_type t, std::initializer_list<std::string> s) {
  dy::attribute_value v;
  v.type = t;
  v.set = s;
  return v;
}

/// One value of every type, under names the seeds use.
const dy::item& sample_item() {
  static const dy::item i = [] {
    dy::item it;
    it["pk"] = dy::attribute_value::string("dev-1");
    it["ts"] = dy::attribute_value::number("1700000000");
    it["b"] = dy::attribute_value::binary(std::string("\x00\x01\xff", 3));
    it["ok"] = dy::attribute_value::boolean_value(true);
    it["nothing"] = dy::attribute_value::null();
    it["tags"] = set_value(dy::value_type::SS, {"a", "b"});
    it["nums"] = set_value(dy::value_type::NS, {"1", "2.5"});
    it["bins"] = set_value(dy::value_type::BS, {"x", "y"});
    it["l"] = list_of({dy::attribute_value::number("1"), dy::attribute_value::string("two"),
                       list_of({dy::attribute_value::null()})});
    it["m"] = map_of({{"a", dy::attribute_value::number("-3")},
                      {"nested", map_of({{"deep", dy::attribute_value::string("x")}})}});
    return it;
  }();
  return i;
}

dy::expression_inputs inputs() {
  dy::expression_inputs in;
  in.names = {{"#n", "pk"}, {"#t", "ts"}, {"#l", "l"}, {"#m", "m"}, {"#s", "tags"}, {"#x", "missing"}};
  in.values = {{":s", dy::attribute_value::string("dev-1")},
               {":n", dy::attribute_value::number("5")},
               {":z", dy::attribute_value::number("0")},
               {":b", dy::attribute_value::binary("x")},
               {":t", dy::attribute_value::boolean_value(true)},
               {":null", dy::attribute_value::null()},
               {":ss", set_value(dy::value_type::SS, {"c"})},
               {":ns", set_value(dy::value_type::NS, {"7"})},
               {":l", list_of({dy::attribute_value::string("e")})},
               {":m", map_of({{"k", dy::attribute_value::string("v")}})}};
  return in;
}

lambkin::config::key_schema hash_only() {
  return lambkin::config::key_schema{{"pk", lambkin::config::attribute_type::string}, std::nullopt};
}

lambkin::config::key_schema hash_and_range() {
  return lambkin::config::key_schema{{"pk", lambkin::config::attribute_type::string},
                                     lambkin::config::key_attribute{"ts", lambkin::config::attribute_type::number}};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (std::string_view which : {"ConditionExpression", "KeyConditionExpression"}) {
    auto in = inputs();
    if (auto c = dy::parse_condition(text, in, which)) {
      (void)dy::evaluate(*c, sample_item());
      (void)dy::analyze_key_condition(*c, hash_only());
      (void)dy::analyze_key_condition(*c, hash_and_range());
    }
    (void)dy::check_all_used(in);
  }
  {
    auto in = inputs();
    if (auto u = dy::parse_update(text, in)) {
      dy::item copy = sample_item();
      if (!dy::apply_update(*u, copy)) {
        // What an update leaves must still be storable.
        const auto bytes = dy::encode_item(copy);
        const auto back = dy::decode_item(bytes);
        if (!back || !(*back == copy)) std::abort();
        (void)dy::item_size(copy);
      }
    }
  }
  {
    auto in = inputs();
    if (auto p = dy::parse_projection(text, in)) (void)dy::project(sample_item(), *p);
  }
  if (auto decoded = dy::decode_item(text)) {
    const auto again = dy::decode_item(dy::encode_item(*decoded));
    if (!again || !(*again == *decoded)) std::abort();
  }
  return 0;
}
