#include "emulator/core/dynamo/item_writes.hpp"

#include "emulator/core/dynamo/condition_eval.hpp"
#include "emulator/core/dynamo/table_keys.hpp"
#include "emulator/core/dynamo/update_apply.hpp"

namespace lambkin::dynamo {

result<return_values> parse_return_values(std::string_view text, bool allow_new) {
  if (text.empty() || text == "NONE") return return_values::none;
  if (text == "ALL_OLD") return return_values::all_old;
  const bool known = text == "UPDATED_OLD" || text == "ALL_NEW" || text == "UPDATED_NEW";
  if (!known)
    return validation_error("1 validation error detected: Value '" + std::string(text) +
                            "' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: "
                            "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
  if (!allow_new) return validation_error("ReturnValues can only be ALL_OLD or NONE");
  return text == "UPDATED_OLD" ? return_values::updated_old
         : text == "ALL_NEW"   ? return_values::all_new
                               : return_values::updated_new;
}

std::optional<dynamo_error> check_condition(const condition* c, const item* current) {
  if (!c) return std::nullopt;
  static const item empty;
  if (evaluate(*c, current ? *current : empty)) return std::nullopt;
  return dynamo_error{errc::conditional_check_failed, "The conditional request failed"};
}

result<write_plan> plan_put(const config::table_config& t, item new_item, const item* current, const condition* c,
                            return_values rv) {
  if (auto e = validate_item(t, new_item)) return *e;
  if (item_size(new_item) > max_item_size) return validation_error("Item size has exceeded the maximum allowed size");
  if (auto e = check_condition(c, current)) return *e;
  write_plan p;
  if (rv == return_values::all_old && current) p.returned = *current;
  p.new_item = std::move(new_item);
  return p;
}

result<write_plan> plan_delete(const item* current, const condition* c, return_values rv) {
  if (auto e = check_condition(c, current)) return *e;
  write_plan p;
  if (rv == return_values::all_old && current) p.returned = *current;
  return p;
}

result<write_plan> plan_update(const config::table_config& t, const item& key, const item* current,
                               const update_expression* u, const condition* c, return_values rv) {
  if (u)
    for (const auto& a : u->actions) {
      const auto& name = a.path.elements[0].name;
      if (name == t.keys.partition.name || (t.keys.sort && name == t.keys.sort->name))
        return validation_error("One or more parameter values were invalid: Cannot update attribute " + name +
                                ". This attribute is part of the key");
    }
  if (auto e = check_condition(c, current)) return *e;
  item next = current ? *current : key;
  if (u)
    if (auto e = apply_update(*u, next)) return *e;
  if (auto e = validate_item(t, next)) return *e;
  if (item_size(next) > max_item_size) return validation_error("Item size to update has exceeded the maximum allowed size");
  write_plan p;
  projection touched;
  if (u)
    for (const auto& a : u->actions) touched.push_back(a.path);
  switch (rv) {
    case return_values::none: break;
    case return_values::all_old:
      if (current) p.returned = *current;
      break;
    case return_values::all_new: p.returned = next; break;
    case return_values::updated_old:
      if (current) p.returned = project(*current, touched);
      break;
    case return_values::updated_new: p.returned = project(next, touched); break;
  }
  if (p.returned && p.returned->empty()) p.returned.reset();
  p.new_item = std::move(next);
  return p;
}

}  // namespace lambkin::dynamo
