#include "emulator/core/dynamo/key_condition.hpp"

#include "emulator/core/dynamo/key_encoding.hpp"
#include "emulator/core/dynamo/table_keys.hpp"

namespace lambkin::dynamo {
namespace {

dynamo_error not_supported() { return validation_error("Query key condition not supported"); }
dynamo_error type_mismatch() {
  return validation_error("One or more parameter values were invalid: Condition parameter type does not match schema type");
}

/// The attribute name of a single-name path operand, or empty.
std::string attribute_of(const operand& o) {
  if (o.k != operand::kind::path || o.path.elements.size() != 1) return {};
  return o.path.elements[0].name;
}

}  // namespace

result<key_range> analyze_key_condition(const condition& c, const config::key_schema& keys) {
  std::vector<const condition*> terms;
  if (c.k == condition::kind::and_) {
    for (const auto& child : c.children)
      if (child.k == condition::kind::and_ || child.k == condition::kind::or_ || child.k == condition::kind::not_)
        return not_supported();
    terms = {&c.children[0], &c.children[1]};
  } else {
    terms = {&c};
  }
  key_range r;
  bool have_pk = false, have_sk = false;
  for (const auto* t : terms) {
    if (t->k == condition::kind::or_ || t->k == condition::kind::not_ || t->k == condition::kind::in) return not_supported();
    if (t->k == condition::kind::function && t->op != "begins_with") return not_supported();
    if (t->k == condition::kind::compare && t->op == "<>") return not_supported();
    const auto name = attribute_of(t->operands[0]);
    if (name.empty()) return not_supported();
    for (std::size_t k = 1; k < t->operands.size(); ++k)
      if (t->operands[k].k != operand::kind::value) return not_supported();
    if (name == keys.partition.name) {
      if (have_pk || t->k != condition::kind::compare || t->op != "=") return not_supported();
      if (t->operands[1].value.type != to_value_type(keys.partition.type)) return type_mismatch();
      r.pk = encode_key_value(t->operands[1].value);
      have_pk = true;
    } else if (keys.sort && name == keys.sort->name) {
      if (have_sk) return not_supported();
      have_sk = true;
      const auto want = to_value_type(keys.sort->type);
      for (std::size_t k = 1; k < t->operands.size(); ++k)
        if (t->operands[k].value.type != want) return type_mismatch();
      if (t->k == condition::kind::function) {
        if (want == value_type::N)
          return validation_error(
              "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: "
              "begins_with, operand type: N");
        r.op = key_range::sort_op::begins_with;
        r.low = encode_key_value(t->operands[1].value);
      } else if (t->k == condition::kind::between) {
        r.op = key_range::sort_op::between;
        r.low = encode_key_value(t->operands[1].value);
        r.high = encode_key_value(t->operands[2].value);
        if (r.low > r.high)
          return validation_error(
              "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower "
              "bound; lower bound operand: AttributeValue: {" + std::string(type_name(want)) + ":" + t->operands[1].value.text +
              "}, upper bound operand: AttributeValue: {" + std::string(type_name(want)) + ":" + t->operands[2].value.text + "}");
      } else {
        const auto v = encode_key_value(t->operands[1].value);
        const auto& op = t->op;
        r.op = op == "=" ? key_range::sort_op::eq : op == "<" ? key_range::sort_op::lt : op == "<=" ? key_range::sort_op::le
             : op == ">" ? key_range::sort_op::gt : key_range::sort_op::ge;
        (r.op == key_range::sort_op::lt || r.op == key_range::sort_op::le ? r.high : r.low) = v;
      }
    } else {
      return validation_error("Query condition missed key schema element: " + keys.partition.name);
    }
  }
  if (!have_pk) return validation_error("Query condition missed key schema element: " + keys.partition.name);
  return r;
}

}  // namespace lambkin::dynamo
