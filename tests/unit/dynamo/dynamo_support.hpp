#pragma once
// Test support for the core/dynamo suites: short ways to write AttributeValues and items.
#include "emulator/core/dynamo/attribute_value.hpp"
#include "emulator/core/dynamo/expression_parser.hpp"
#include "emulator/core/dynamo/number.hpp"

#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <utility>

namespace lambkin::test {

using dynamo::attribute_value;
using dynamo::item;

inline attribute_value S(std::string s) { return attribute_value::string(std::move(s)); }
inline attribute_value N(std::string_view n) { return attribute_value::number(*dynamo::normalize_number(n)); }
inline attribute_value B(std::string b) { return attribute_value::binary(std::move(b)); }
inline attribute_value BOOL(bool b) { return attribute_value::boolean_value(b); }
inline attribute_value L(std::initializer_list<attribute_value> l) {
  attribute_value v;
  v.type = dynamo::value_type::L;
  v.list = l;
  return v;
}
inline attribute_value M(item m) {
  attribute_value v;
  v.type = dynamo::value_type::M;
  v.map = std::move(m);
  return v;
}
inline attribute_value SS(std::initializer_list<std::string> s) {
  attribute_value v;
  v.type = dynamo::value_type::SS;
  v.set = s;
  return v;
}
inline attribute_value NS(std::initializer_list<std::string> s) {
  attribute_value v;
  v.type = dynamo::value_type::NS;
  v.set = s;
  return v;
}

/// Expression inputs with `:name` values and `#name` names.
inline dynamo::expression_inputs inputs(item values = {}, std::map<std::string, std::string, std::less<>> names = {}) {
  dynamo::expression_inputs in;
  in.values = std::move(values);
  in.names = std::move(names);
  return in;
}

}  // namespace lambkin::test
