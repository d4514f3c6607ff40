#include "emulator/core/lambda/function_arn.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace lambkin;
using namespace lambkin::lambda;

namespace {
const std::string pattern_message =
    "Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?"
    "([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)"
    "(:(\\$LATEST|[a-zA-Z0-9-_]+))?";

function_ref parsed(std::string_view name, std::optional<std::string_view> qualifier = std::nullopt) {
  auto r = parse_function_name(name, qualifier);
  REQUIRE_MESSAGE(r, r.message);
  return *r.ref;
}
}  // namespace

TEST_CASE("every documented FunctionName form parses") {
  CHECK(parsed("my-function") == function_ref{"my-function", std::nullopt, std::nullopt, std::nullopt});
  CHECK(parsed("my-function:v1") == function_ref{"my-function", "v1", std::nullopt, std::nullopt});
  CHECK(parsed("my-function:$LATEST").qualifier == "$LATEST");
  CHECK(parsed("123456789012:function:my-function") ==
        function_ref{"my-function", std::nullopt, std::nullopt, "123456789012"});
  CHECK(parsed("123456789012:function:my-function:7") == function_ref{"my-function", "7", std::nullopt, "123456789012"});
  CHECK(parsed("arn:aws:lambda:us-west-2:123456789012:function:my-function") ==
        function_ref{"my-function", std::nullopt, "us-west-2", "123456789012"});
  CHECK(parsed("arn:aws:lambda:us-west-2:123456789012:function:my-function:prod") ==
        function_ref{"my-function", "prod", "us-west-2", "123456789012"});
  CHECK(parsed("arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f.v2") ==
        function_ref{"f.v2", std::nullopt, "us-gov-west-1", "123456789012"});
}

TEST_CASE("the pattern's optional prefixes are taken only when something follows them") {
  CHECK(parsed("function").name == "function");
  CHECK(parsed("function:x") == function_ref{"x", std::nullopt, std::nullopt, std::nullopt});
  CHECK(parsed("arn:v1") == function_ref{"arn", "v1", std::nullopt, std::nullopt});
  CHECK(parsed("us-east-1:fn") == function_ref{"fn", std::nullopt, "us-east-1", std::nullopt});
}

TEST_CASE("the Qualifier parameter qualifies an unqualified name and must agree with a qualified one") {
  CHECK(parsed("my-function", "v1").qualifier == "v1");
  CHECK(parsed("my-function:v1", "v1").qualifier == "v1");
  CHECK(parsed("my-function", "").qualifier == std::nullopt);  // empty = absent

  auto r = parse_function_name("my-function:v1", "v2");
  CHECK_FALSE(r);
  CHECK(r.error == errc::invalid_parameter_value);
  CHECK(r.message == "The derived qualifier from the function name does not match the specified qualifier.");

  r = parse_function_name("arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST", "1");
  CHECK(r.error == errc::invalid_parameter_value);
}

TEST_CASE("model constraints fail with ValidationException text") {
  auto r = parse_function_name("my function");
  CHECK_FALSE(r);
  CHECK(r.error == errc::validation);
  CHECK(r.message == "1 validation error detected: Value 'my function' at 'functionName' failed to satisfy constraint: " +
                         pattern_message);

  r = parse_function_name("");
  CHECK(r.error == errc::validation);
  CHECK(r.message ==
        "1 validation error detected: Value '' at 'functionName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1");

  CHECK(parse_function_name("a:b:c:d").error == errc::validation);
  CHECK(parse_function_name("arn:aws:s3:::bucket").error == errc::validation);
  CHECK(parse_function_name("fn:").error == errc::validation);
  CHECK(parse_function_name("fn:$PROD").error == errc::validation);
}

TEST_CASE("length limits: 64 for the name, 170 for the whole value, 128 for a qualifier") {
  const std::string n64(64, 'a'), n65(65, 'a');
  CHECK(parse_function_name(n64));
  auto r = parse_function_name(n65);
  CHECK(r.error == errc::validation);
  CHECK(r.message == "1 validation error detected: Value '" + n65 +
                         "' at 'functionName' failed to satisfy constraint: Member must have length less than or "
                         "equal to 64");

  const std::string arn = "arn:aws:lambda:us-east-1:123456789012:function:" + n64 + ":" + std::string(60, 'q');
  REQUIRE(arn.size() > 170);
  r = parse_function_name(arn);
  CHECK(r.error == errc::validation);
  CHECK(r.message == "1 validation error detected: Value '" + arn +
                         "' at 'functionName' failed to satisfy constraint: Member must have length less than or "
                         "equal to 170");

  CHECK(parse_function_name("f", std::string(128, 'q')));
  r = parse_function_name("f", std::string(129, 'q'));
  CHECK(r.error == errc::validation);
  CHECK(r.message == "1 validation error detected: Value '" + std::string(129, 'q') +
                         "' at 'qualifier' failed to satisfy constraint: Member must have length less than or "
                         "equal to 128");
}

TEST_CASE("several violations are reported together") {
  auto r = parse_function_name("bad name", "bad qualifier");
  CHECK(r.error == errc::validation);
  CHECK(r.message ==
        "2 validation errors detected: Value 'bad name' at 'functionName' failed to satisfy constraint: " +
            pattern_message +
            "; Value 'bad qualifier' at 'qualifier' failed to satisfy constraint: Member must satisfy regular "
            "expression pattern: (|[a-zA-Z0-9$_-]+)");
}

TEST_CASE("qualifier validity") {
  CHECK(is_valid_qualifier("$LATEST"));
  CHECK(is_valid_qualifier("12"));
  CHECK(is_valid_qualifier("live_v-2"));
  CHECK_FALSE(is_valid_qualifier(""));
  CHECK_FALSE(is_valid_qualifier("a.b"));
  CHECK_FALSE(is_valid_qualifier(std::string(129, 'a')));
}

TEST_CASE("ARNs are formatted with an optional qualifier") {
  CHECK(format_function_arn("us-east-1", "000000000000", "StoreTemperature") ==
        "arn:aws:lambda:us-east-1:000000000000:function:StoreTemperature");
  CHECK(format_function_arn("eu-west-1", "123456789012", "f", "$LATEST") ==
        "arn:aws:lambda:eu-west-1:123456789012:function:f:$LATEST");
  CHECK(format_function_arn("eu-west-1", "123456789012", "f", "") ==
        "arn:aws:lambda:eu-west-1:123456789012:function:f");
}
