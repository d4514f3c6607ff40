#pragma once
// YAML text → `node` tree with marks. The only file that sees yaml-cpp.
//
// Short-form intrinsics become their long form (`!GetAtt X.Arn` → `{Fn::GetAtt: X.Arn}`,
// `!Ref X` → `{Ref: X}`); an unknown tag `!Foo` becomes `{!Foo: …}` so the resolver can name it.
// Duplicate keys are reported (CloudFormation rejects them; YAML readers keep one silently).
#include "emulator/config/diagnostics.hpp"
#include "emulator/config/node.hpp"

#include <optional>
#include <string_view>

namespace lambkin::config {

/// Parses `text`; on a YAML syntax error reports `file:line:col: <yaml-cpp's message>` and
/// returns nullopt.
std::optional<node> read_yaml(std::string_view text, diagnostics& diags);

}  // namespace lambkin::config
