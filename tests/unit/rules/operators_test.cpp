// Operators with AWS IoT SQL's type rules (reference §2.4 and AWS's operator tables).
#include "rules_support.hpp"

using namespace lambkin::rules;
using namespace lambkin::rules::test;

TEST_CASE("+ adds numbers and concatenates strings") {
  check_exprs({
      {"1 + 2", "3"},
      {"1 + 2.5", "3.5"},
      {"0.1 + 0.2", "0.3"},
      {"'a' + 'b'", R"("ab")"},
      {"'a' + 1", R"("a1")"},
      {"1 + 'a'", R"("1a")"},
      {"'1' + 2", R"("12")"},
      {"'x' + true", R"("xtrue")"},
      {"'x' + [1,2]", R"("x[1,2]")"},
      {"'x' + null", ""},
      {"1 + true", ""},
      {"1 + null", ""},
      {"1 + missing", ""},
      {"9223372036854775807 + 1", "9223372036854775808"},
  });
}

TEST_CASE("- * / % with Int, Decimal and numeric strings") {
  check_exprs({
      {"7 - 2", "5"},
      {"7 * 3", "21"},
      {"7 / 2", "3"},
      {"-7 / 2", "-3"},
      {"7 % 3", "1"},
      {"-7 % 3", "-1"},
      {"7.0 / 2", "3"},  // 2016-03-23 reads the whole 7.0 as Int 7: integer division
      {"7.5 / 2", "3.75"},
      {"7 / 2.5", "2.8"},
      {"1 / 3.5", "0.2857142857142857142857142857142857"},
      {"7.5 % 2", "1.5"},
      {"'10' - 4", "6"},
      {"'10' * '2.5'", "25"},
      {"'10.5' / 2", "5.25"},
      {"'abc' - 1", ""},
      {"true * 2", ""},
      {"1 / 0", ""},
      {"1.5 / 0", ""},
      {"5 % 0", ""},
      {"-a", "-4"},
      {"-b", "-2.5"},
      {"-'3'", "-3"},
      {"-'x'", ""},
      {"2 + 3 * 4", "14"},
      {"(2 + 3) * 4", "20"},
      {"10 - 4 - 3", "3"},
      {"12 / 2 / 3", "2"},
  },
              R"({"a":4,"b":2.5})");
  check_exprs({{"7.0 / 2", "3.5"}, {"6.0 / 2", "3.0"}, {"1.5 + 1.5", "3.0"}}, "{}", v2015);
}

TEST_CASE("comparisons convert both sides to Decimal") {
  check_exprs({
      {"2 > 1", "true"},
      {"1 > 2", "false"},
      {"2 >= 2.0", "true"},
      {"'10' > 9", "true"},
      {"'10' < '9'", "false"},
      {"1.5 <= 1.50", "true"},
      {"1 < 'abc'", ""},
      {"1 < true", ""},
      {"1 < null", ""},
      {"missing > 1", ""},
      {"[1] > 0", ""},
  });
}

TEST_CASE("= and <>: numeric Int/Decimal, deep arrays and objects, mismatched types") {
  check_exprs({
      {"1 = 1.0", "true"},
      {"1 = 1", "true"},
      {"'a' = 'a'", "true"},
      {"'1' = 1", "false"},
      {"'1' <> 1", "true"},
      {"true = true", "true"},
      {"null = null", "true"},
      {"null <> null", "false"},
      {"null = 0", "false"},
      {"[1, 2] = [1, 2]", "true"},
      {"[1, 2] = [2, 1]", "false"},
      {"[1, [2]] = [1.0, [2]]", "true"},
      {"{'a': 1, 'b': 2} = {'b': 2, 'a': 1}", "true"},
      {"{'a': 1} = {'a': 1, 'b': 2}", "false"},
      {"o = {'x': [1], 'y': 'z'}", "true"},
      {"missing = 1", ""},
      {"1 <> missing", ""},
      {"1 != 2", "true"},
  },
              R"({"o":{"y":"z","x":[1]}})");
}

TEST_CASE("AND, OR, NOT take Booleans or the strings true and false") {
  check_exprs({
      {"true AND true", "true"},
      {"true AND false", "false"},
      {"false OR true", "true"},
      {"false OR false", "false"},
      {"'TRUE' AND 'false'", "false"},
      {"'True' OR false", "true"},
      {"NOT false", "true"},
      {"NOT 'false'", "true"},
      {"NOT 1", ""},
      {"NOT 'yes'", ""},
      {"true AND 1", ""},
      {"false AND missing", ""},
      {"true OR missing", ""},
      {"NOT missing", ""},
      {"1 < 2 AND 'a' = 'a'", "true"},
      {"NOT 1 > 2", "true"},
  });
}
