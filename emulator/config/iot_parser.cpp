// AWS::IoT::Policy, ::Certificate, ::Thing, ::PolicyPrincipalAttachment and
// ::ThingPrincipalAttachment → the registry the broker's policy enforcement is built from.
#include "emulator/config/iot_certificate.hpp"
#include "emulator/config/resource_parsers.hpp"
#include "emulator/core/http/json_writer.hpp"
#include "emulator/core/iot_policy/policy_document.hpp"

#include <variant>

namespace lambkin::config {
namespace {

// The template's YAML as JSON text (scalars are strings: policy documents hold only strings).
void write_json(const node& n, std::string& out) {
  if (n.is_map()) {
    out += '{';
    for (std::size_t i = 0; i < n.members.size(); ++i) {
      if (i) out += ',';
      out += http::json_quote(n.members[i].key) + ':';
      write_json(n.members[i].value, out);
    }
    out += '}';
  } else if (n.is_sequence()) {
    out += '[';
    for (std::size_t i = 0; i < n.items.size(); ++i) {
      if (i) out += ',';
      write_json(n.items[i], out);
    }
    out += ']';
  } else if (n.is_null()) {
    out += "null";
  } else {
    out += http::json_quote(n.text);
  }
}

// Where the element a policy error names (`Statement[1].Effect`) is written in the template's
// map; the deepest element found (the document itself for a JSON string).
mark locate(const node& doc, const std::string& path) {
  const node* at = &doc;
  std::size_t i = 0;
  while (i < path.size() && at->is_map() + at->is_sequence() > 0) {
    if (path[i] == '.') ++i;
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string::npos || !at->is_sequence()) break;
      const std::size_t n = std::stoul(path.substr(i + 1, close - i - 1));
      if (n >= at->items.size()) break;
      at = &at->items[n];
      i = close + 1;
      continue;
    }
    const std::size_t end = path.find_first_of(".[", i);
    const std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
    const member* m = at->is_map() ? at->find_member(key) : nullptr;
    if (!m) break;
    at = &m->value;
    i = end == std::string::npos ? path.size() : end;
  }
  return at->at;
}

// A principal must be a certificate ARN (or a certificate id); anything else cannot authenticate
// to lambkin's broker.
bool valid_principal(const std::string& p, const node* at, const std::string& path, parse_context& ctx) {
  if (p.find(":cert/") != std::string::npos && p.starts_with("arn:")) return true;
  ctx.diags.error(at ? at->at : mark{}, path,
                  "must be a certificate ARN (arn:aws:iot:REGION:ACCOUNT:cert/ID, e.g. !GetAtt MyCert.Arn); "
                  "lambkin's broker authenticates X.509 certificates only, not '" + p + "'");
  return false;
}

void parse_attachment(resource_entry& e, parse_context& ctx, const char* target_key,
                      std::vector<iot_attachment_config>& into) {
  const node resolved = ctx.resolve.resolve_properties(e);
  const property_reader props(resolved, "Resources." + e.logical_id + ".Properties", ctx.diags);
  props.allow({target_key, "Principal", "ThingPrincipalType"});
  auto target = props.string(target_key, true);
  auto principal = props.string("Principal", true);
  if (!target || !principal) return;
  if (!valid_principal(*principal, props.find("Principal"), props.path("Principal"), ctx)) return;
  into.push_back(iot_attachment_config{e.logical_id, *target, *principal, ctx.location(e.at)});
}

}  // namespace

void parse_iot_policy(resource_entry& e, parse_context& ctx) {
  const node resolved = ctx.resolve.resolve_properties(e);
  const property_reader props(resolved, "Resources." + e.logical_id + ".Properties", ctx.diags);
  props.allow({"PolicyName", "PolicyDocument", "Tags"});
  iot_policy_config p{e.logical_id, ctx.resolve.physical_name(e), {}, ctx.location(e.at)};
  if (!props.require("PolicyDocument")) return;
  const node& doc = *props.find("PolicyDocument");
  if (doc.is_invalid()) return;
  if (doc.is_scalar()) {
    p.document = doc.text;  // a JSON string, as CloudFormation also accepts
  } else if (doc.is_map()) {
    write_json(doc, p.document);
  } else {
    ctx.diags.error(doc.at, props.path("PolicyDocument"), "must be a policy document: a map or a JSON string");
    return;
  }
  const auto parsed = iot_policy::parse_policy_document(p.document);
  if (const auto* err = std::get_if<iot_policy::parse_error>(&parsed)) {
    ctx.diags.error(locate(doc, err->path), join_path(props.path("PolicyDocument"), err->path), err->message);
    return;
  }
  for (const auto& other : ctx.out.iot_policies)
    if (other.name == p.name)
      ctx.diags.error(props.at("PolicyName"), props.path("PolicyName"),
                      "policy name '" + p.name + "' is already used by " + other.logical_id);
  ctx.out.iot_policies.push_back(std::move(p));
}

void parse_iot_certificate(resource_entry& e, parse_context& ctx) {
  const node resolved = ctx.resolve.resolve_properties(e);
  const property_reader props(resolved, "Resources." + e.logical_id + ".Properties", ctx.diags);
  props.allow({"CertificatePem", "Status", "CACertificatePem", "CertificateMode", "CertificateSigningRequest"});
  iot_certificate_config c{e.logical_id, {}, "ACTIVE", ctx.location(e.at)};
  if (auto status = props.one_of("Status", {"ACTIVE", "INACTIVE", "REVOKED", "PENDING_TRANSFER", "REGISTER_INACTIVE",
                                            "PENDING_ACTIVATION"}))
    c.status = *status;
  else if (!props.has("Status"))
    props.require("Status");
  if (!props.has("CertificatePem")) {
    ctx.diags.error(e.at, props.path("CertificatePem"),
                    "lambkin needs the certificate: CertificatePem as PEM text or file://PATH (relative to the "
                    "template), e.g. a device certificate made by `lambkin certs`");
    return;
  }
  auto pem = props.string("CertificatePem");
  if (!pem) return;
  std::string error;
  auto id = certificate_id_of(*pem, ctx.template_dir, error);
  if (!id) {
    ctx.diags.error(props.find("CertificatePem")->at, props.path("CertificatePem"), error);
    return;
  }
  c.id = std::move(*id);
  ctx.out.iot_certificates.push_back(std::move(c));
}

void parse_iot_thing(resource_entry& e, parse_context& ctx) {
  const node resolved = ctx.resolve.resolve_properties(e);
  const property_reader props(resolved, "Resources." + e.logical_id + ".Properties", ctx.diags);
  props.allow({"ThingName", "AttributePayload"});
  iot_thing_config t{e.logical_id, ctx.resolve.physical_name(e), {}, ctx.location(e.at)};
  if (auto payload = props.child("AttributePayload")) {
    payload->allow({"Attributes"});
    if (auto attrs = payload->child("Attributes"))
      for (const auto& m : attrs->map().members) {
        if (auto v = attrs->string(m.key)) t.attributes[m.key] = *v;
      }
  }
  ctx.out.iot_things.push_back(std::move(t));
}

void parse_iot_policy_attachment(resource_entry& e, parse_context& ctx) {
  parse_attachment(e, ctx, "PolicyName", ctx.out.iot_policy_attachments);
}

void parse_iot_thing_attachment(resource_entry& e, parse_context& ctx) {
  parse_attachment(e, ctx, "ThingName", ctx.out.iot_thing_attachments);
}

}  // namespace lambkin::config
