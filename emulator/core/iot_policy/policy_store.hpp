#pragma once
// The AWS IoT registry as far as authorization needs it — policies, certificates, things and
// their attachments — and the broker's `authorizer` (core/mqtt/authority.hpp) built on it.
//
// At CONNECT (`authorize_connect`):
//  - no principal (plain TCP/WebSocket, or TLS without a client certificate): unrestricted
//    (null authority, so the broker checks nothing on that connection), unless `require_auth`
//    is set and the store holds a policy: then refused;
//  - a certificate declared with a status other than ACTIVE: refused; a certificate the
//    template only names in attachments (`…:cert/<id>`) counts as ACTIVE;
//  - no policy attached to the certificate: refused (AWS's default deny);
//  - otherwise the attached policies are expanded for this connection (variables, conditions:
//    policy_variables.hpp) and iot:Connect on `client/<clientId>` is evaluated.
// Evaluation (AWS IoT's, IAM's): a matching Deny wins; else a matching Allow allows; else denied.
// The connection's authority caches its decisions (per action and name, bounded).
#include "emulator/core/iot_policy/policy_document.hpp"
#include "emulator/core/mqtt/authority.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lambkin::iot_policy {

class policy_store final : public mqtt::authorizer {
 public:
  /// ARNs are `arn:aws:iot:<region>:<account>:…`.
  policy_store(std::string region, std::string account);

  void add_policy(std::string name, policy_document doc);
  /// A declared certificate; `status` ACTIVE, INACTIVE, REVOKED, PENDING_TRANSFER….
  void add_certificate(std::string id, std::string status);
  void add_thing(std::string name, std::map<std::string, std::string> attributes = {});
  /// `principal` is a certificate ARN (`arn:aws:iot:<region>:<account>:cert/<id>`) or a bare id.
  void attach_policy(std::string policy, std::string_view principal);
  void attach_thing(std::string thing, std::string_view principal);
  void set_require_auth(bool on) noexcept { require_auth_ = on; }

  bool has_policies() const noexcept { return !policies_.empty(); }
  /// The certificate id a principal ARN names (`…:cert/<id>` or a bare id), "" otherwise.
  static std::string certificate_id(std::string_view principal);
  /// `arn:aws:iot:<region>:<account>:` — what every resource starts with.
  const std::string& arn_prefix() const noexcept { return arn_prefix_; }

  /// `attributes` become the multi-valued `iot:ConnectAttributes` ("PersistentConnect", "LastWill").
  mqtt::connect_verdict authorize_connect(const mqtt::connection_info& info, std::string_view client_id,
                                          mqtt::connect_attributes attributes = {}) override;

 private:
  struct certificate {
    std::string status = "ACTIVE";
    std::vector<std::string> policies;
    std::vector<std::string> things;
  };

  std::string arn_prefix_;
  bool require_auth_ = false;
  std::map<std::string, policy_document, std::less<>> policies_;
  std::map<std::string, certificate, std::less<>> certificates_;
  std::map<std::string, std::map<std::string, std::string>, std::less<>> things_;
};

}  // namespace lambkin::iot_policy
