#pragma once
// The template's AWS IoT policies, certificates, things and attachments
// (config::template_config) → the broker's authorizer (core/iot_policy/policy_store.hpp).
#include "emulator/core/iot_policy/policy_store.hpp"
#include "lambkin/config.hpp"

#include <memory>

namespace lambkin::io::mqtt {

/// Null when the template declares no `AWS::IoT::Policy`: then nothing is enforced (every
/// connection is unrestricted, as before policies existed). `require_auth` (`--require-auth`):
/// connections without a client certificate are refused too.
std::shared_ptr<lambkin::iot_policy::policy_store> make_policy_store(const config::template_config& t,
                                                                     bool require_auth);

}  // namespace lambkin::io::mqtt
