#include "lambkin/ids.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <type_traits>
#include <unordered_set>

TEST_CASE("strong ids compare, hash and print by value, and do not mix") {
  lambkin::function_name a{"Store"}, b{"Store"}, c{"History"};
  CHECK(a == b);
  CHECK(a != c);
  CHECK(c < a);
  std::unordered_set<lambkin::function_name> set{a, b, c};
  CHECK(set.size() == 2);
  std::ostringstream os;
  os << lambkin::environment_id{42};
  CHECK(os.str() == "42");
  static_assert(!std::is_convertible_v<lambkin::request_id, lambkin::function_name>);
  static_assert(!std::is_convertible_v<std::string, lambkin::function_name>);
}
