// libFuzzer target for the AWS IoT SQL compiler (and, for what compiles, the evaluator and the
// substitution-template compiler); the same bytes also go through the payload JSON parser. Build: -DLAMBKIN_BUILD_FUZZ=ON with clang; run:
//   ./rules_sql_fuzz -max_total_time=60 -max_len=512 fuzz/corpus/rules_sql
// Anything but a crash, a sanitizer report, a hang or a leak is fine: errors are values.
#include "emulator/core/rules/json.hpp"
#include "emulator/core/rules/sql.hpp"
#include "emulator/core/rules/substitution_template.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

const lambkin::rules::message_context& message() {
  static const lambkin::rules::message_context m = [] {
    lambkin::rules::message_context c;
    c.topic = "things/dev-1/temperature";
    c.payload = R"({"temperature":21.5,"humidity":40,"e":[{"n":"t","v":1},{"n":"h","v":2.5}],"s":"text","o":{"a":[1,"x",null]}})";
    c.client_id = "dev-1";
    c.timestamp_ms = 1700000000000;
    c.trace_id = "00000000-0000-0000-0000-000000000000";
    c.new_uuid = [] { return std::string("123e4567-e89b-12d3-a456-426614174000"); };
    c.random = [] { return 0.5; };
    c.user_properties = {{"k", "v"}};
    return c;
  }();
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto v : {lambkin::rules::sql_version::v2015_10_08, lambkin::rules::sql_version::v2016_03_23}) {
    auto stmt = lambkin::rules::compile(text, v);
    if (stmt) {
      auto out = lambkin::rules::evaluate(*stmt, message());
      (void)out;
    } else {
      (void)stmt.error().what();
    }
    auto tmpl = lambkin::rules::compile_template(text, v);
    if (tmpl) (void)lambkin::rules::render(*tmpl, message());
  }
  if (auto doc = lambkin::rules::parse_json(text, true)) (void)lambkin::rules::to_json(*doc);
  return 0;
}
