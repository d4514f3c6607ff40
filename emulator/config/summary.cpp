#include "emulator/config/summary.hpp"

#include "emulator/config/text_table.hpp"
#include "emulator/core/iot_policy/policy_document.hpp"

#include <variant>

namespace lambkin::config {
namespace {

std::string or_dash(const std::optional<int>& v) { return v ? std::to_string(*v) : "-"; }

// The first plain parameter says most about an action: republish's topic, sqs's queueUrl,
// dynamoDBv2's putItem.tableName…
const std::string* first_scalar(const param_value& p) {
  for (const auto& [key, value] : p.members) {
    if (key == "roleArn") continue;
    if (value.type == param_value::kind::scalar) return &value.text;
    if (const std::string* nested = first_scalar(value)) return nested;
  }
  return nullptr;
}

std::string describe(const rule_action& a) {
  if (a.type == "lambda" && a.function)
    return "lambda " + a.function->value() + (a.qualifier.empty() ? "" : ":" + a.qualifier);
  if (a.type == "lambda") return "lambda (not in this template)";
  const std::string* detail = first_scalar(a.parameters);
  return detail ? a.type + " " + *detail : a.type;
}

std::string describe_key(const key_attribute& k) { return k.name + " (" + to_string(k.type) + ")"; }

void settings_section(const template_config& t, std::string& out) {
  const settings& s = t.settings;
  std::string retention = "10m (timing default)";
  if (s.idle_retention) {
    retention = format_duration(s.idle_retention->min);
    if (s.idle_retention->randomised()) retention += "–" + format_duration(s.idle_retention->max);
    if (s.idle_retention->seed) retention += " (seed " + std::to_string(*s.idle_retention->seed) + ")";
  }
  if (!s.idle_retention && s.timing == timing_profile::fast) retention = "(fast timing default)";
  out += "Template  " + t.source.string() + "\n";
  out += "Settings  timing " + std::string(to_string(s.timing)) + ", idle retention " + retention + "\n";
  out += "          region " + s.region + ", account " + s.account_id + ", stack " + s.stack_name + "\n";
  out += "          account concurrency " + std::to_string(s.account_concurrency) + " (unreserved minimum " +
         std::to_string(s.unreserved_minimum) + ")\n";
  out += "          listening on " + s.bind + ": mqtt " + std::to_string(s.ports.mqtt) + ", ws " +
         std::to_string(s.ports.ws) + ", http " + std::to_string(s.ports.http) + ", aws " +
         std::to_string(s.ports.aws) + "\n";
}

void functions_section(const template_config& t, std::string& out) {
  text_table table({"NAME", "RUNTIME", "HANDLER", "MEMORY", "TIMEOUT", "RESERVED", "PROVISIONED"});
  for (const auto& f : t.functions) {
    std::string provisioned = or_dash(f.provisioned_concurrency);
    if (f.provisioned_concurrency) provisioned += " (" + f.alias + ")";
    table.add({f.name.value(), f.runtime, f.handler.empty() ? "-" : f.handler, std::to_string(f.memory_mb) + " MB",
               format_duration(f.timeout), or_dash(f.reserved_concurrency), provisioned});
  }
  out += "\nFunctions (" + std::to_string(t.functions.size()) + ")\n" + table.render("  ");
}

void rules_section(const template_config& t, std::string& out) {
  text_table table({"NAME", "SQL VERSION", "SQL, then → ACTIONS"});
  for (const auto& r : t.rules) {
    table.add({r.name + (r.disabled ? " (disabled)" : ""), r.sql_version, r.sql});
    for (const auto& a : r.actions) table.add({"", "", "  → " + describe(a)});
    if (r.error_action) table.add({"", "", "  → on error: " + describe(*r.error_action)});
    if (r.actions.empty()) table.add({"", "", "  → (no actions)"});
  }
  out += "\nRules (" + std::to_string(t.rules.size()) + ")\n" + table.render("  ");
}

void routes_section(const template_config& t, std::string& out) {
  text_table table({"METHOD", "PATH", "FUNCTION", "API"});
  for (const auto& r : t.routes)
    table.add({r.method, r.path, "→ " + r.function.value() + (r.qualifier.empty() ? "" : ":" + r.qualifier),
               r.api_id + " (" + (r.kind == api_kind::http ? "HTTP API, payload " : "REST API, payload ") +
                   r.payload_format + ")"});
  out += "\nRoutes (" + std::to_string(t.routes.size()) + ")\n" + table.render("  ");
}

void tables_section(const template_config& t, std::string& out) {
  text_table table({"NAME", "PARTITION KEY", "SORT KEY", "BILLING", "INDEXES"});
  for (const auto& tb : t.tables) {
    std::string indexes;
    for (const auto* list : {&tb.global_indexes, &tb.local_indexes})
      for (const auto& i : *list) indexes += (indexes.empty() ? "" : ", ") + i.name;
    table.add({tb.name, describe_key(tb.keys.partition), tb.keys.sort ? describe_key(*tb.keys.sort) : "-",
               tb.billing_mode, indexes.empty() ? "-" : indexes});
  }
  out += "\nTables (" + std::to_string(t.tables.size()) + ")\n" + table.render("  ");
}

void buckets_section(const template_config& t, std::string& out) {
  text_table table({"BUCKET", "NOTIFIES", "EVENTS", "FILTER"});
  for (const auto& b : t.buckets) {
    bool any = false;
    for (const auto& n : t.bucket_notifications) {
      if (n.bucket != b.name) continue;
      std::string events, filter;
      for (const auto& e : n.events) events += (events.empty() ? "" : ", ") + e;
      if (!n.prefix.empty()) filter += "prefix " + n.prefix;
      if (!n.suffix.empty()) filter += (filter.empty() ? "" : ", ") + std::string("suffix ") + n.suffix;
      table.add({any ? "" : b.name, "→ " + n.function.value() + (n.qualifier.empty() ? "" : ":" + n.qualifier), events,
                 filter.empty() ? "-" : filter});
      any = true;
    }
    if (!any) table.add({b.name, "-", "-", "-"});
  }
  out += "\nBuckets (" + std::to_string(t.buckets.size()) + ")\n" + table.render("  ");
}

// Policies with the certificates they are attached to; certificates with their status and things.
void iot_section(const template_config& t, std::string& out) {
  auto cert_of = [&](const std::string& principal) {
    const std::string id = principal.substr(principal.rfind('/') + 1);
    for (const auto& c : t.iot_certificates)
      if (c.id == id) return c.logical_id + " (" + id.substr(0, 10) + "…)";
    return id.substr(0, 10) + "…";
  };
  text_table policies({"POLICY", "STATEMENTS", "ATTACHED TO"});
  for (const auto& p : t.iot_policies) {
    std::string to;
    for (const auto& a : t.iot_policy_attachments)
      if (a.target == p.name) to += (to.empty() ? "" : ", ") + cert_of(a.principal);
    const auto doc = iot_policy::parse_policy_document(p.document);
    const auto* parsed = std::get_if<iot_policy::policy_document>(&doc);
    policies.add({p.name, parsed ? std::to_string(parsed->statements.size()) : "?", to.empty() ? "-" : to});
  }
  out += "\nIoT policies (" + std::to_string(t.iot_policies.size()) + ")\n" + policies.render("  ");
  if (!t.iot_certificates.empty() || !t.iot_thing_attachments.empty()) {
    text_table certs({"CERTIFICATE", "ID", "STATUS", "THINGS"});
    for (const auto& c : t.iot_certificates) {
      std::string things;
      for (const auto& a : t.iot_thing_attachments)
        if (a.principal.ends_with("/" + c.id)) things += (things.empty() ? "" : ", ") + a.target;
      certs.add({c.logical_id, c.id, c.status, things.empty() ? "-" : things});
    }
    for (const auto& a : t.iot_thing_attachments) {
      bool declared = false;
      for (const auto& c : t.iot_certificates) declared = declared || a.principal.ends_with("/" + c.id);
      if (!declared) certs.add({"-", a.principal.substr(a.principal.rfind('/') + 1), "ACTIVE", a.target});
    }
    out += "\nIoT certificates (" + std::to_string(t.iot_certificates.size()) + ")\n" + certs.render("  ");
  }
}

}  // namespace

std::string format_duration(duration d) {
  using std::chrono::duration_cast;
  const auto ms = duration_cast<milliseconds>(d).count();
  if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::string format_summary(const template_config& t) {
  std::string out;
  settings_section(t, out);
  if (!t.functions.empty()) functions_section(t, out);
  if (!t.rules.empty()) rules_section(t, out);
  if (!t.routes.empty()) routes_section(t, out);
  if (!t.tables.empty()) tables_section(t, out);
  if (!t.buckets.empty()) buckets_section(t, out);
  if (!t.iot_policies.empty() || !t.iot_certificates.empty()) iot_section(t, out);
  if (!t.outputs.empty()) {
    text_table table({"NAME", "VALUE"});
    for (const auto& o : t.outputs) table.add({o.name, o.value});
    out += "\nOutputs (" + std::to_string(t.outputs.size()) + ")\n" + table.render("  ");
  }
  return out;
}

}  // namespace lambkin::config
