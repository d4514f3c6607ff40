// Intrinsic functions in both forms (short `!Sub` and long `Fn::Sub:`), pseudo parameters and
// conditions, through small inline templates.
#include "emulator/config/resolver.hpp"

#include "config_test_support.hpp"

#include <doctest/doctest.h>

using namespace lambkin::config;
using namespace lambkin::config::test;

namespace {

// A template with a function `Fn` and one whose environment variables are `variables` (YAML lines
// indented by 10 spaces) in function `Other`; line 17 is the first variable.
std::string with_variables(const std::string& variables, const std::string& extra_sections = "") {
  return "Transform: AWS::Serverless-2016-10-31\n"       // 1
         "Parameters:\n"                                 // 2
         "  Stage: {Type: String, Default: dev}\n"       // 3
         "  Zones: {Type: CommaDelimitedList, Default: 'a,b,c'}\n"  // 4
         "Resources:\n"                                  // 5
         "  Fn:\n"                                       // 6
         "    Type: AWS::Serverless::Function\n"         // 7
         "    Properties: {Runtime: provided.al2023, CodeUri: code,\n"  // 8
         "                 Environment: {Variables: {ANCHOR: x}}}\n"   // 9
         "  Other:\n"                                    // 10
         "    Type: AWS::Serverless::Function\n"         // 11
         "    Properties:\n"                             // 12
         "      Runtime: provided.al2023\n"              // 13
         "      CodeUri: code\n"                         // 14
         "      Environment:\n"                          // 15
         "        Variables:\n" +                        // 16
         variables +                                     // 17…
         extra_sections;
}

std::string variable(const load_result& r, const std::string& key) {
  const template_config t = load_ok(r);
  for (const auto& [k, v] : t.functions.at(1).environment)
    if (k == "V" + key) return v;  // Lambda wants keys of two characters or more
  return "<absent>";
}

std::vector<std::string> errors_at(const load_result& r) {
  // The file name is the same for all; compare from the line number on.
  std::vector<std::string> out;
  for (const auto& e : r.errors) out.push_back(e.to_string().substr(template_path("inline.yaml").size() + 1));
  return out;
}

}  // namespace

TEST_CASE("Ref and Fn::Sub in short and long form, with pseudo parameters") {
  const load_result r = load_text(with_variables(
      "          VA: !Ref Stage\n"
      "          VB: {Ref: Stage}\n"
      "          VC: !Sub '${Stage}-${AWS::Region}-${AWS::AccountId}'\n"
      "          VD: {'Fn::Sub': '${AWS::StackName}/${AWS::Partition}/${AWS::URLSuffix}'}\n"
      "          VE: !Sub '${!Literal} and ${Fn}'\n"
      "          VF: !Sub ['${X}:${Y}', {X: !Ref Stage, Y: !GetAtt Fn.Arn}]\n"
      "          VG: !Sub '${Fn.Arn}'\n"
      "          VH: !Ref AWS::StackId\n"));
  CHECK(variable(r, "A") == "dev");
  CHECK(variable(r, "B") == "dev");
  CHECK(variable(r, "C") == "dev-us-east-1-123456789012");
  CHECK(variable(r, "D") == "lambkin/aws/amazonaws.com");
  CHECK(variable(r, "E") == "${Literal} and Fn");
  CHECK(variable(r, "F") == "dev:arn:aws:lambda:us-east-1:123456789012:function:Fn");
  CHECK(variable(r, "G") == "arn:aws:lambda:us-east-1:123456789012:function:Fn");
  CHECK(variable(r, "H") == "arn:aws:cloudformation:us-east-1:123456789012:stack/lambkin/00000000-0000-0000-0000-000000000000");
}

TEST_CASE("pseudo parameters follow the region and account of the settings, and flags win") {
  const std::string text = with_variables("          VA: !Sub '${AWS::Region} ${AWS::AccountId} ${AWS::StackName}'\n"
                                          "          VP: !Ref AWS::Partition\n");
  CHECK(variable(load_text(text), "A") == "us-east-1 123456789012 lambkin");
  const load_result r =
      load_text(text, {.overlay = {.region = "cn-north-1", .account_id = "000000000000", .stack_name = "demo"}});
  CHECK(variable(r, "A") == "cn-north-1 000000000000 demo");
  CHECK(variable(r, "P") == "aws-cn");
}

TEST_CASE("Fn::GetAtt, Fn::Join, Fn::Select, Fn::Split, Fn::Base64, Fn::GetAZs, Fn::FindInMap") {
  const load_result r = load_text(with_variables(
      "          VA: !GetAtt [Fn, Arn]\n"
      "          VB: {'Fn::GetAtt': Fn.Arn}\n"
      "          VC: !Join [',', !Ref Zones]\n"
      "          VD: {'Fn::Join': ['', [x, !Ref Stage, y]]}\n"
      "          VE: !Select [2, !Ref Zones]\n"
      "          VF: !Select [1, !Split ['/', 'a/b/c']]\n"
      "          VG: !Base64 'lambkin!'\n"
      "          VH: !Join [' ', !GetAZs '']\n"
      "          VI: !FindInMap [Sizes, !Ref Stage, Memory]\n",
      "Mappings:\n  Sizes:\n    dev: {Memory: 256}\n"));
  CHECK(variable(r, "A") == "arn:aws:lambda:us-east-1:123456789012:function:Fn");
  CHECK(variable(r, "B") == variable(r, "A"));
  CHECK(variable(r, "C") == "a,b,c");
  CHECK(variable(r, "D") == "xdevy");
  CHECK(variable(r, "E") == "c");
  CHECK(variable(r, "F") == "b");
  CHECK(variable(r, "G") == "bGFtYmtpbiE=");
  CHECK(variable(r, "H") == "us-east-1a us-east-1b us-east-1c");
  CHECK(variable(r, "I") == "256");
}

TEST_CASE("Fn::If with conditions in both forms, and AWS::NoValue removes a property") {
  const std::string conditions =
      "Conditions:\n"
      "  IsProd: !Equals [!Ref Stage, prod]\n"
      "  IsDev: {'Fn::Not': [{Condition: IsProd}]}\n"
      "  Both: !And [!Condition IsDev, !Equals [a, a]]\n"
      "  Either: {'Fn::Or': [!Condition IsProd, {Condition: Both}]}\n";
  const std::string variables =
      "          VA: !If [IsProd, p, d]\n"
      "          VB: {'Fn::If': [Both, yes, no]}\n"
      "          VC: !If [IsProd, x, !Ref AWS::NoValue]\n"
      "          VD: !If [Either, e, !Ref AWS::NoValue]\n";
  const load_result dev = load_text(with_variables(variables, conditions));
  CHECK(variable(dev, "A") == "d");
  CHECK(variable(dev, "B") == "yes");
  CHECK(variable(dev, "C") == "<absent>");
  CHECK(variable(dev, "D") == "e");
  const load_result prod = load_text(with_variables(variables, conditions), {.parameter_overrides = {{"Stage", "prod"}}});
  CHECK(variable(prod, "A") == "p");
  CHECK(variable(prod, "B") == "no");
  CHECK(variable(prod, "C") == "x");
}

TEST_CASE("a resource whose Condition is false is not created") {
  const std::string text =
      "Transform: AWS::Serverless-2016-10-31\n"
      "Parameters: {Stage: {Type: String, Default: dev}}\n"
      "Conditions: {IsProd: !Equals [!Ref Stage, prod]}\n"
      "Resources:\n"
      "  Fn: {Type: AWS::Serverless::Function, Condition: IsProd,\n"
      "       Properties: {Runtime: provided, CodeUri: code}}\n"
      "  Queue: {Type: AWS::SQS::Queue, Condition: IsProd}\n";
  const load_result dev = load_text(text);
  REQUIRE(dev.ok());
  CHECK(dev.config->functions.empty());
  CHECK(warnings_of(dev).empty());  // a resource not created is not "ignored"
  const load_result prod = load_text(text, {.parameter_overrides = {{"Stage", "prod"}}});
  REQUIRE(prod.ok());
  CHECK(prod.config->functions.size() == 1);
  CHECK(warnings_of(prod) == std::vector<std::string>{"ignored: AWS::SQS::Queue Queue"});
}

TEST_CASE("intrinsic mistakes are reported where they are written") {
  const load_result r = load_text(with_variables(
      "          VA: !ImportValue SharedTable\n"
      "          VB: !Equals [a, b]\n"
      "          VC: !If [NoSuchCondition, a, b]\n"
      "          VD: !FindInMap [Sizes, prod, Memory]\n"
      "          VE: !Sub '${AWS::NoValue}'\n"
      "          VF: {'Fn::Frob': x}\n"
      "          VG: !GetAtt Nothing.Arn\n"
      "          VH: !Join [',', notalist]\n"
      "          VI: !Select [5, [a, b]]\n"
      "          VJ: !Ref AWS::Regio\n",
      "Mappings:\n  Sizes:\n    dev: {Memory: 256}\n"));
  const std::string v = "Resources.Other.Properties.Environment.Variables.";
  CHECK(errors_at(r) == std::vector<std::string>{
                            "17:15: " + v + "VA: Fn::ImportValue: is not supported by lambkin (it needs a deployed AWS account)",
                            "18:15: " + v + "VB: Fn::Equals: can only be used in Conditions (use Fn::If with a condition name)",
                            "19:20: " + v + "VC: 'NoSuchCondition' is not a condition declared in Conditions",
                            "20:15: " + v + "VD: Fn::FindInMap: Mappings.Sizes.prod does not exist",
                            "21:15: " + v + "VE: Fn::Sub: '${AWS::NoValue}' is AWS::NoValue, not a string",
                            "22:15: " + v + "VF: unknown intrinsic function 'Fn::Frob'",
                            "23:15: " + v + "VG: Fn::GetAtt: 'Nothing' is not a resource",
                            "24:27: " + v + "VH: Fn::Join: the values must be a list",
                            "25:24: " + v + "VI: Fn::Select: index '5' is not within the 2 values",
                            "26:15: " + v + "VJ: Ref: 'AWS::Regio' is not a parameter, pseudo parameter or resource; "
                                            "did you mean 'AWS::Region'?",
                        });
}

TEST_CASE("base64 encodes like Fn::Base64") {
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("foob") == "Zm9vYg==");
}
