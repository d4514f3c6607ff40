#pragma once
// The template's `Outputs`, resolved: what `lambkin run` prints once the stack is up.
#include "emulator/config/diagnostics.hpp"
#include "emulator/config/node.hpp"
#include "emulator/config/resolver.hpp"
#include "lambkin/config.hpp"

namespace lambkin::config {

/// Appends each output whose `Condition` (if any) holds to `out.outputs`; its `Value` must
/// resolve to a string (lists are joined with commas, as CloudFormation prints them).
void read_outputs(const node& root, resolver& r, template_config& out, diagnostics& diags);

}  // namespace lambkin::config
