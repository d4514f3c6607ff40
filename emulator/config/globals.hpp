#pragma once
// SAM's `Globals` section, merged into the resources it applies to before anything is resolved.
//
// Merge rules (SAM's): a property the resource sets wins; maps (e.g. `Environment.Variables`) are
// merged key by key; lists (e.g. `Layers`) are the global items followed by the resource's.
// Intrinsic calls count as plain values. Merged values keep their marks, so an error in a global
// value points at the `Globals` line.
#include "emulator/config/diagnostics.hpp"
#include "emulator/config/node.hpp"

namespace lambkin::config {

/// Checks `Globals` (sections Function, HttpApi, Api, SimpleTable and the properties SAM allows in
/// each) and merges each section into the `Properties` of every resource of its type in `root`.
void apply_globals(node& root, diagnostics& diags);

}  // namespace lambkin::config
