#include "emulator/core/dynamo/update_apply.hpp"

#include "emulator/core/dynamo/number.hpp"

#include <algorithm>
#include <map>

namespace lambkin::dynamo {
namespace {

dynamo_error missing_attribute() {
  return validation_error("The provided expression refers to an attribute that does not exist in the item");
}
dynamo_error wrong_type() { return validation_error("An operand in the update expression has an incorrect data type"); }

std::string long_type_name(value_type t) {
  switch (t) {
    case value_type::S: return "STRING";
    case value_type::N: return "NUMBER";
    case value_type::B: return "BINARY";
    case value_type::BOOL: return "BOOLEAN";
    case value_type::NUL: return "NULL";
    case value_type::M: return "MAP";
    case value_type::L: return "LIST";
    case value_type::SS: return "STRING SET";
    case value_type::NS: return "NUMBER SET";
    case value_type::BS: return "BINARY SET";
  }
  return "?";
}

result<attribute_value> value_of(const operand& o, const item& before) {
  switch (o.k) {
    case operand::kind::value: return o.value;
    case operand::kind::path: {
      const auto* v = find_path(before, o.path);
      if (!v) return missing_attribute();
      return *v;
    }
    case operand::kind::if_not_exists: {
      if (const auto* v = find_path(before, o.args[0].path)) return *v;
      return value_of(o.args[1], before);
    }
    case operand::kind::list_append: {
      auto a = value_of(o.args[0], before);
      if (!a) return a;
      auto b = value_of(o.args[1], before);
      if (!b) return b;
      if (a->type != value_type::L || b->type != value_type::L) return wrong_type();
      for (auto& e : b->list) a->list.push_back(std::move(e));
      return a;
    }
    case operand::kind::plus:
    case operand::kind::minus: {
      auto a = value_of(o.args[0], before);
      if (!a) return a;
      auto b = value_of(o.args[1], before);
      if (!b) return b;
      if (a->type != value_type::N || b->type != value_type::N) return wrong_type();
      auto x = parse_number(a->text), y = parse_number(b->text);
      if (!x) return x.error();
      if (!y) return y.error();
      auto r = o.k == operand::kind::plus ? add(*x, *y) : subtract(*x, *y);
      if (!r) return r.error();
      return attribute_value::number(to_string(*r));
    }
    case operand::kind::size: return wrong_type();
  }
  return wrong_type();
}

std::optional<dynamo_error> add_to(item& i, const update_action& a) {
  const auto& v = a.value.value;
  const auto* current = find_path(i, a.path);
  if (v.type != value_type::N && !v.is_set())
    return validation_error("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: " +
                            long_type_name(v.type));
  if (!current) return set_path(i, a.path, v);
  if (current->type != v.type) return wrong_type();
  attribute_value next = *current;
  if (v.type == value_type::N) {
    auto r = add(*parse_number(current->text), *parse_number(v.text));
    if (!r) return r.error();
    next.text = to_string(*r);
  } else {
    for (const auto& e : v.set)
      if (std::find(next.set.begin(), next.set.end(), e) == next.set.end()) next.set.push_back(e);
  }
  return set_path(i, a.path, std::move(next));
}

std::optional<dynamo_error> delete_from(item& i, const update_action& a) {
  const auto& v = a.value.value;
  if (!v.is_set())
    return validation_error("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: " +
                            long_type_name(v.type));
  const auto* current = find_path(i, a.path);
  if (!current) return std::nullopt;
  if (current->type != v.type) return wrong_type();
  attribute_value next = *current;
  std::erase_if(next.set, [&](const std::string& e) { return std::find(v.set.begin(), v.set.end(), e) != v.set.end(); });
  if (next.set.empty()) {
    remove_path(i, a.path);
    return std::nullopt;
  }
  return set_path(i, a.path, std::move(next));
}

// ---- projection: the paths as a tree, walked alongside the item ----
struct projection_node {
  bool whole = false;  // a path ends here: keep everything below
  std::map<std::string, projection_node> names;
  std::map<std::size_t, projection_node> indexes;
};

std::optional<attribute_value> project_value(const attribute_value& v, const projection_node& n) {
  if (n.whole) return v;
  if (v.type == value_type::M && !n.names.empty()) {
    attribute_value out;
    out.type = value_type::M;
    for (const auto& [name, child] : n.names)
      if (auto it = v.map.find(name); it != v.map.end())
        if (auto p = project_value(it->second, child)) out.map.emplace(name, std::move(*p));
    if (!out.map.empty()) return out;
  }
  if (v.type == value_type::L && !n.indexes.empty()) {
    attribute_value out;
    out.type = value_type::L;
    for (const auto& [index, child] : n.indexes)
      if (index < v.list.size())
        if (auto p = project_value(v.list[index], child)) out.list.push_back(std::move(*p));
    if (!out.list.empty()) return out;
  }
  return std::nullopt;
}

}  // namespace

std::optional<dynamo_error> apply_update(const update_expression& u, item& i) {
  const item before = i;
  // REMOVEs of list elements go last-index-first so earlier removals do not shift later ones.
  std::vector<const update_action*> removes;
  for (const auto& a : u.actions) {
    switch (a.k) {
      case update_action::kind::set: {
        auto v = value_of(a.value, before);
        if (!v) return v.error();
        if (auto e = set_path(i, a.path, std::move(*v))) return e;
        break;
      }
      case update_action::kind::remove: removes.push_back(&a); break;
      case update_action::kind::add:
        if (auto e = add_to(i, a)) return e;
        break;
      case update_action::kind::remove_from_set:
        if (auto e = delete_from(i, a)) return e;
        break;
    }
  }
  std::stable_sort(removes.begin(), removes.end(), [](const update_action* x, const update_action* y) {
    const auto& a = x->path.elements.back();
    const auto& b = y->path.elements.back();
    return a.is_index && b.is_index && a.index > b.index;
  });
  for (const auto* a : removes) remove_path(i, a->path);
  return std::nullopt;
}

item project(const item& i, const projection& p) {
  projection_node root;
  for (const auto& path : p) {
    projection_node* n = &root;
    for (const auto& e : path.elements) n = e.is_index ? &n->indexes[e.index] : &n->names[e.name];
    n->whole = true;
  }
  item out;
  for (const auto& [name, child] : root.names)
    if (auto it = i.find(name); it != i.end())
      if (auto v = project_value(it->second, child)) out.emplace(name, std::move(*v));
  return out;
}

}  // namespace lambkin::dynamo
