#include "emulator/core/dynamo/condition_eval.hpp"

#include "emulator/core/dynamo/number.hpp"

#include <algorithm>

namespace lambkin::dynamo {
namespace {

/// An operand's value: a reference into the item or the expression, or a computed one.
struct operand_value {
  const attribute_value* ref = nullptr;
  attribute_value owned;
  const attribute_value* get() const { return ref; }
};

bool resolve(const operand& o, const item& i, operand_value& out) {
  switch (o.k) {
    case operand::kind::value: out.ref = &o.value; return true;
    case operand::kind::path: out.ref = find_path(i, o.path); return out.ref != nullptr;
    case operand::kind::size: {
      const auto* v = find_path(i, o.path);
      if (!v) return false;
      std::size_t n = 0;
      switch (v->type) {
        case value_type::S:
        case value_type::B: n = v->text.size(); break;
        case value_type::SS:
        case value_type::NS:
        case value_type::BS: n = v->set.size(); break;
        case value_type::L: n = v->list.size(); break;
        case value_type::M: n = v->map.size(); break;
        default: return false;
      }
      out.owned = attribute_value::number(std::to_string(n));
      out.ref = &out.owned;
      return true;
    }
    default: return false;  // update-only operands never reach conditions
  }
}

bool compare_op(const std::string& op, const attribute_value& a, const attribute_value& b) {
  if (op == "=") return a == b;
  if (op == "<>") return !(a == b);
  const auto c = compare_values(a, b);
  if (c == std::partial_ordering::unordered) return false;
  if (op == "<") return c < 0;
  if (op == "<=") return c <= 0;
  if (op == ">") return c > 0;
  return c >= 0;  // ">="
}

bool contains_value(const attribute_value& haystack, const attribute_value& needle) {
  switch (haystack.type) {
    case value_type::S:
      return needle.type == value_type::S && haystack.text.find(needle.text) != std::string::npos;
    case value_type::B:
      return needle.type == value_type::B && haystack.text.find(needle.text) != std::string::npos;
    case value_type::SS:
    case value_type::NS:
    case value_type::BS:
      return needle.type == element_of(haystack.type) &&
             std::find(haystack.set.begin(), haystack.set.end(), needle.text) != haystack.set.end();
    case value_type::L: return std::find(haystack.list.begin(), haystack.list.end(), needle) != haystack.list.end();
    default: return false;
  }
}

bool evaluate_function(const condition& c, const item& i) {
  operand_value a, b;
  const bool has_a = resolve(c.operands[0], i, a);
  if (c.op == "attribute_exists") return has_a;
  if (c.op == "attribute_not_exists") return !has_a;
  if (!has_a || !resolve(c.operands[1], i, b)) return false;
  if (c.op == "attribute_type") return type_name(a.get()->type) == b.get()->text;
  if (c.op == "begins_with") {
    const auto& x = *a.get();
    const auto& p = *b.get();
    return (x.type == value_type::S || x.type == value_type::B) && p.type == x.type && x.text.starts_with(p.text);
  }
  if (c.op == "contains") return contains_value(*a.get(), *b.get());
  return false;
}

}  // namespace

std::partial_ordering compare_values(const attribute_value& a, const attribute_value& b) {
  if (a.type != b.type) return std::partial_ordering::unordered;
  if (a.type == value_type::N) return compare_numbers(a.text, b.text);
  if (a.type == value_type::S || a.type == value_type::B) {
    // Bytewise, unsigned: std::string::compare uses char_traits<char>, which compares as unsigned char.
    const int r = a.text.compare(b.text);
    return r < 0 ? std::partial_ordering::less : r > 0 ? std::partial_ordering::greater : std::partial_ordering::equivalent;
  }
  return std::partial_ordering::unordered;
}

bool evaluate(const condition& c, const item& i) {
  switch (c.k) {
    case condition::kind::and_: return evaluate(c.children[0], i) && evaluate(c.children[1], i);
    case condition::kind::or_: return evaluate(c.children[0], i) || evaluate(c.children[1], i);
    case condition::kind::not_: return !evaluate(c.children[0], i);
    case condition::kind::function: return evaluate_function(c, i);
    case condition::kind::compare: {
      operand_value a, b;
      if (!resolve(c.operands[0], i, a) || !resolve(c.operands[1], i, b)) return false;
      return compare_op(c.op, *a.get(), *b.get());
    }
    case condition::kind::between: {
      operand_value v, lo, hi;
      if (!resolve(c.operands[0], i, v) || !resolve(c.operands[1], i, lo) || !resolve(c.operands[2], i, hi)) return false;
      const auto low = compare_values(*v.get(), *lo.get());
      const auto high = compare_values(*v.get(), *hi.get());
      return low != std::partial_ordering::unordered && high != std::partial_ordering::unordered && low >= 0 && high <= 0;
    }
    case condition::kind::in: {
      operand_value v;
      if (!resolve(c.operands[0], i, v)) return false;
      for (std::size_t k = 1; k < c.operands.size(); ++k) {
        operand_value o;
        if (resolve(c.operands[k], i, o) && *o.get() == *v.get()) return true;
      }
      return false;
    }
  }
  return false;
}

}  // namespace lambkin::dynamo
