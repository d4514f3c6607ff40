#include "emulator/io/mqtt/iot_policies.hpp"

#include <variant>

namespace lambkin::io::mqtt {

std::shared_ptr<lambkin::iot_policy::policy_store> make_policy_store(const config::template_config& t,
                                                                     bool require_auth) {
  if (t.iot_policies.empty()) return nullptr;
  auto store = std::make_shared<lambkin::iot_policy::policy_store>(t.settings.region, t.settings.account_id);
  for (const auto& p : t.iot_policies) {
    auto doc = lambkin::iot_policy::parse_policy_document(p.document);
    // The loader checked every document; one that fails here is skipped (it grants nothing).
    if (auto* d = std::get_if<lambkin::iot_policy::policy_document>(&doc)) store->add_policy(p.name, std::move(*d));
  }
  for (const auto& c : t.iot_certificates) store->add_certificate(c.id, c.status);
  for (const auto& th : t.iot_things) store->add_thing(th.name, th.attributes);
  for (const auto& a : t.iot_policy_attachments) store->attach_policy(a.target, a.principal);
  for (const auto& a : t.iot_thing_attachments) store->attach_thing(a.target, a.principal);
  store->set_require_auth(require_auth);
  return store;
}

}  // namespace lambkin::io::mqtt
