#include "emulator/core/dynamo/number.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace lambkin::dynamo;

namespace {
std::string norm(std::string_view s) {
  auto r = normalize_number(s);
  return r ? *r : "error: " + r.error().message;
}
std::string sum(std::string_view a, std::string_view b) {
  auto r = add(*parse_number(a), *parse_number(b));
  return r ? to_string(*r) : "error: " + r.error().message;
}
}  // namespace

TEST_CASE("numbers are normalised as DynamoDB returns them") {
  CHECK(norm("1.50") == "1.5");
  CHECK(norm("001") == "1");
  CHECK(norm("1e2") == "100");
  CHECK(norm("1.5E-3") == "0.0015");
  CHECK(norm("-0") == "0");
  CHECK(norm("+7") == "7");
  CHECK(norm("-12.340") == "-12.34");
  CHECK(norm(".5") == "0.5");
  CHECK(norm("123456789012345678901234567890.12345678") == "123456789012345678901234567890.12345678");
}

TEST_CASE("numbers outside DynamoDB's precision or range are refused with its messages") {
  CHECK(norm("abc") == "error: A value provided cannot be converted into a number");
  CHECK(norm("") == "error: A value provided cannot be converted into a number");
  CHECK(norm("1e") == "error: A value provided cannot be converted into a number");
  CHECK(norm("1.2.3") == "error: A value provided cannot be converted into a number");
  CHECK(norm("123456789012345678901234567890123456789") ==
        "error: Attempting to store more than 38 significant digits in a Number");
  CHECK(norm("1000000000000000000000000000000000000000000000") == "1000000000000000000000000000000000000000000000");
  CHECK(norm("1e126").starts_with("error: Number overflow."));
  CHECK(norm("9.9999999999999999999999999999999999999E+125").size() == 126);
  CHECK(norm("1e-131").starts_with("error: Number underflow."));
  CHECK(norm("1e-130") == "0." + std::string(129, '0') + "1");
}

TEST_CASE("numbers compare numerically, not as text") {
  CHECK(compare_numbers("10", "9") > 0);
  CHECK(compare_numbers("-10", "-9") < 0);
  CHECK(compare_numbers("0.5", "0.25") > 0);
  CHECK(compare_numbers("0", "-0.001") > 0);
  CHECK(compare_numbers("1.5", "1.5") == 0);
  CHECK(compare_numbers("100", "1e2") == 0);
}

TEST_CASE("addition and subtraction are exact decimals") {
  CHECK(sum("0.1", "0.2") == "0.3");
  CHECK(sum("1", "-1") == "0");
  CHECK(sum("-5", "3") == "-2");
  CHECK(sum("99999999999999999999", "1") == "100000000000000000000");
  CHECK(sum("1e20", "0.5") == "100000000000000000000.5");
  CHECK(sum("12345678901234567890123456789012345678", "0.1") ==
        "error: Attempting to store more than 38 significant digits in a Number");
  auto d = subtract(*parse_number("10"), *parse_number("0.01"));
  REQUIRE(d);
  CHECK(to_string(*d) == "9.99");
}
