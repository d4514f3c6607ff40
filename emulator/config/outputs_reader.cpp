#include "emulator/config/outputs_reader.hpp"

#include "emulator/config/property_reader.hpp"

namespace lambkin::config {

void read_outputs(const node& root, resolver& r, template_config& out, diagnostics& diags) {
  const node* outputs = root.find("Outputs");
  if (!outputs) return;
  if (!outputs->is_map()) {
    diags.error(outputs->at, "Outputs", "must be a map of outputs");
    return;
  }
  for (const auto& m : outputs->members) {
    const std::string path = "Outputs." + m.key;
    std::optional<node> resolved = r.resolve(m.value, path);
    if (!resolved || resolved->is_invalid()) continue;
    const property_reader output(*resolved, path, diags);
    output.allow({"Condition", "Description", "Export", "Value"});
    if (const node* condition = m.value.find("Condition"); condition && condition->is_scalar() &&
                                                            !r.condition(condition->text, condition->at, path + ".Condition"))
      continue;
    output_config o;
    o.name = m.key;
    if (auto d = output.string("Description")) o.description = *d;
    if (!output.require("Value")) continue;
    const node* value = output.find("Value");
    if (value && value->is_sequence()) {
      for (const auto& item : value->items) o.value += (o.value.empty() ? "" : ",") + item.text;
    } else if (value) {
      if (auto v = read_string(*value, output.path("Value"), diags)) o.value = *v;
    }
    out.outputs.push_back(std::move(o));
  }
}

}  // namespace lambkin::config
