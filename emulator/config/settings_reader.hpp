#pragma once
// lambkin's own settings from the template's `Metadata.lambkin`:
//
//   Metadata:
//     lambkin:
//       timing: aws                     # or fast
//       idle_retention: 10m             # or {min: 5m, max: 15m, seed: 7}
//       account_concurrency: 1000
//       unreserved_minimum: 100
//       ports: {mqtt: 1883, ws: 8083, http: 3000, aws: 4566}
//       bind: 127.0.0.1
//       region: us-east-1
//       account_id: "123456789012"
//       stack_name: lambkin
#include "emulator/config/diagnostics.hpp"
#include "emulator/config/node.hpp"
#include "lambkin/clock.hpp"
#include "lambkin/config.hpp"

#include <optional>
#include <string_view>

namespace lambkin::config {

/// Reads `Metadata.lambkin` of `root` into `s`; absent fields keep their value. Unknown keys and
/// out-of-range values are reported.
void read_settings(const node& root, settings& s, diagnostics& diags);

/// Checks what only the final settings (template + command-line overlay) can tell:
/// `unreserved_minimum` ≤ `account_concurrency`, and `idle_retention` min ≤ max.
void check_settings(const node& root, const settings& s, diagnostics& diags);

/// A duration with a unit: `500ms`, `90s`, `10m`, `1.5h`, `1h30m` (units ns, us, ms, s, m, h).
/// nullopt for anything else, including a bare number and negative values.
std::optional<duration> parse_duration(std::string_view text);

}  // namespace lambkin::config
