#include "emulator/core/iot_policy/policy_store.hpp"

#include "emulator/core/iot_policy/connection_grant.hpp"

#include <algorithm>
#include <memory>
#include <utility>

namespace lambkin::iot_policy {

policy_store::policy_store(std::string region, std::string account)
    : arn_prefix_("arn:aws:iot:" + region + ":" + account + ":") {}

void policy_store::add_policy(std::string name, policy_document doc) {
  policies_.insert_or_assign(std::move(name), std::move(doc));
}

void policy_store::add_certificate(std::string id, std::string status) {
  certificates_[std::move(id)].status = std::move(status);
}

void policy_store::add_thing(std::string name, std::map<std::string, std::string> attributes) {
  things_.insert_or_assign(std::move(name), std::move(attributes));
}

std::string policy_store::certificate_id(std::string_view principal) {
  if (const auto slash = principal.rfind(":cert/"); slash != std::string_view::npos)
    return std::string(principal.substr(slash + 6));
  if (principal.starts_with("arn:")) return {};
  return std::string(principal);
}

void policy_store::attach_policy(std::string policy, std::string_view principal) {
  auto& c = certificates_[certificate_id(principal)];
  if (std::find(c.policies.begin(), c.policies.end(), policy) == c.policies.end()) c.policies.push_back(std::move(policy));
}

void policy_store::attach_thing(std::string thing, std::string_view principal) {
  auto& c = certificates_[certificate_id(principal)];
  if (std::find(c.things.begin(), c.things.end(), thing) == c.things.end()) c.things.push_back(std::move(thing));
}

mqtt::connect_verdict policy_store::authorize_connect(const mqtt::connection_info& info, std::string_view client_id,
                                                     mqtt::connect_attributes attributes) {
  mqtt::connect_verdict v;
  v.resource = arn_prefix_ + "client/" + std::string(client_id);
  if (info.principal.empty()) {
    if (require_auth_ && has_policies()) {
      v.allowed = false;
      v.reason = "no client certificate, and --require-auth is set";
    }
    return v;  // unrestricted: no authority, nothing checked on this connection
  }
  v.allowed = false;
  const auto cert = certificates_.find(info.principal);
  if (cert == certificates_.end() || cert->second.policies.empty()) {
    v.reason = "no policy is attached to certificate " + info.principal;
    return v;
  }
  if (cert->second.status != "ACTIVE") {
    v.reason = "certificate " + info.principal + " is " + cert->second.status;
    return v;
  }
  variable_values vars;
  vars.set("iot:ClientId", std::string(client_id));
  for (const auto& [name, value] : info.certificate_variables) vars.set(name, value);
  std::vector<std::string> features;
  if (attributes.persistent) features.emplace_back("PersistentConnect");
  if (attributes.last_will) features.emplace_back("LastWill");
  vars.set_list("iot:ConnectAttributes", std::move(features));
  const auto& things = cert->second.things;
  const bool attached = std::find(things.begin(), things.end(), client_id) != things.end();
  vars.set("iot:Connection.Thing.IsAttached", attached ? "true" : "false");
  // The thing: the attached one the client id names; with a single attached thing, that one.
  std::string thing = attached ? std::string(client_id) : things.size() == 1 ? things.front() : std::string();
  if (!thing.empty()) {
    vars.set("iot:Connection.Thing.ThingName", thing);
    if (const auto t = things_.find(thing); t != things_.end())
      for (const auto& [name, value] : t->second) vars.set("iot:Connection.Thing.Attributes[" + name + "]", value);
  }
  std::vector<const policy_document*> docs;
  for (const auto& name : cert->second.policies)
    if (const auto p = policies_.find(name); p != policies_.end()) docs.push_back(&p->second);
  auto grant = std::make_shared<connection_grant>(arn_prefix_, docs, vars);
  if (!grant->allowed(mqtt::iot_action::connect, client_id)) {
    v.reason = "no policy of certificate " + info.principal + " allows it";
    return v;
  }
  v.allowed = true;
  v.authority = std::move(grant);
  return v;
}

}  // namespace lambkin::iot_policy
