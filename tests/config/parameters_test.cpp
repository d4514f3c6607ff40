#include "emulator/config/parameters.hpp"

#include "config_test_support.hpp"

#include <doctest/doctest.h>

using namespace lambkin::config;
using namespace lambkin::config::test;

namespace {

// Parameters from `declarations` (YAML lines indented by 2, starting on line 2).
load_result with_parameters(const std::string& declarations, std::map<std::string, std::string> overrides = {}) {
  return load_text("Parameters:\n" + declarations +
                       "Resources:\n  Queue: {Type: AWS::SQS::Queue}\n",
                   {.parameter_overrides = std::move(overrides)});
}

std::vector<std::string> errors_at(const load_result& r) {
  std::vector<std::string> out;
  for (const auto& e : r.errors) out.push_back(e.to_string().substr(template_path("inline.yaml").size() + 1));
  return out;
}

}  // namespace

TEST_CASE("--parameter-overrides items: Key=Value and SAM's ParameterKey=K,ParameterValue=V") {
  using pair = std::pair<std::string, std::string>;
  CHECK(parse_parameter_override("Stage=prod") == pair{"Stage", "prod"});
  CHECK(parse_parameter_override("Url=https://x/?a=b") == pair{"Url", "https://x/?a=b"});
  CHECK(parse_parameter_override("Empty=") == pair{"Empty", ""});
  CHECK(parse_parameter_override("ParameterKey=Stage,ParameterValue=prod") == pair{"Stage", "prod"});
  CHECK_FALSE(parse_parameter_override("Stage"));
  CHECK_FALSE(parse_parameter_override("=prod"));
  CHECK_FALSE(parse_parameter_override("ParameterKey=Stage"));
}

TEST_CASE("overrides win over defaults, and every type keeps its value as text") {
  const load_result r = with_parameters(
      "  Stage: {Type: String, Default: dev}\n"
      "  Size: {Type: Number, Default: 10}\n"
      "  Names: {Type: CommaDelimitedList, Default: 'a,b'}\n"
      "  Ports: {Type: 'List<Number>', Default: '1,2'}\n"
      "  Key: {Type: 'AWS::EC2::KeyPair::KeyName', Default: mine}\n",
      {{"Stage", "prod"}, {"Size", "2.5"}});
  const template_config t = load_ok(r);
  CHECK(t.parameters == std::map<std::string, std::string>{
                            {"Key", "mine"}, {"Names", "a,b"}, {"Ports", "1,2"}, {"Size", "2.5"}, {"Stage", "prod"}});
}

TEST_CASE("parameter values are checked against Type, AllowedValues, AllowedPattern and the bounds") {
  const load_result r = with_parameters(
      "  Size: {Type: Number, Default: big}\n"
      "  Ports: {Type: 'List<Number>', Default: '1,x'}\n"
      "  Stage: {Type: String, Default: qa, AllowedValues: [dev, prod]}\n"
      "  Name: {Type: String, Default: Bad-Name, AllowedPattern: '[a-z]+'}\n"
      "  Short: {Type: String, Default: abcdef, MaxLength: 3}\n"
      "  Count: {Type: Number, Default: 0, MinValue: 1}\n"
      "  Needed: {Type: String}\n"
      "  Odd: {Type: Strin, Default: x}\n"
      "  Secret: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /a/b}\n"
      "  Typo: {Type: String, Defualt: x}\n");
  CHECK(errors_at(r) == std::vector<std::string>{
                            "2:33: Parameters.Size.Default: 'big' is not a Number",
                            "3:42: Parameters.Ports.Default: 'x' is not a Number",
                            "4:34: Parameters.Stage.Default: 'qa' is not one of the AllowedValues: dev, prod",
                            "5:33: Parameters.Name.Default: 'Bad-Name' does not match the AllowedPattern [a-z]+",
                            "6:34: Parameters.Short.Default: 'abcdef' is longer than MaxLength 3",
                            "7:34: Parameters.Count.Default: '0' is less than MinValue 1",
                            "8:3: Parameters.Needed: has no Default; give a value with --parameter-overrides Needed=VALUE",
                            "9:15: Parameters.Odd.Type: unknown parameter type 'Strin'; did you mean 'String'?",
                            "10:18: Parameters.Secret.Type: SSM parameter types cannot be resolved offline; use String",
                            "11:3: Parameters.Typo: has no Default; give a value with --parameter-overrides Typo=VALUE",
                            "11:24: Parameters.Typo.Defualt: unknown parameter attribute 'Defualt'; did you mean 'Default'?",
                        });
}

TEST_CASE("a parameter without a default is fine when overridden") {
  const load_result r = with_parameters("  Needed: {Type: String}\n", {{"Needed", "given"}});
  CHECK(load_ok(r).parameters.at("Needed") == "given");
}
