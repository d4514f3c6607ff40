// Context functions: what the rules engine knows about the message besides its payload.
#include "emulator/core/rules/conversions.hpp"
#include "emulator/core/rules/function_impls.hpp"
#include "emulator/core/text/base64.hpp"

namespace lambkin::rules::detail {

value fn_accountid(std::span<const value>, const call_context& c) { return value::string(c.msg.account_id); }
value fn_clientid(std::span<const value>, const call_context& c) { return value::string(c.msg.client_id); }

value fn_principal(std::span<const value>, const call_context& c) {
  if (c.msg.principal.empty()) return {};
  return value::string(c.msg.principal);
}

value fn_timestamp(std::span<const value>, const call_context& c) { return value::integer(c.msg.timestamp_ms); }

value fn_topic(std::span<const value> a, const call_context& c) {
  const std::string& t = c.msg.topic;
  if (a.empty()) return value::string(t);
  auto n = to_int_floor(a[0]);
  if (!n || *n < 1) return {};
  std::size_t start = 0;
  for (std::int64_t level = 1;; ++level) {
    const auto slash = t.find('/', start);
    if (level == *n) return value::string(t.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) return {};
    start = slash + 1;
  }
}

value fn_traceid(std::span<const value>, const call_context& c) {
  return c.msg.trace_id ? value::string(*c.msg.trace_id) : value{};
}

value fn_newuuid(std::span<const value>, const call_context& c) {
  if (!c.msg.new_uuid) throw evaluation_failure{"newuuid(): no UUID source was given to the evaluator"};
  return value::string(c.msg.new_uuid());
}

value fn_rand(std::span<const value>, const call_context& c) {
  if (!c.msg.random) throw evaluation_failure{"rand(): no random source was given to the evaluator"};
  auto d = decimal::of_double(c.msg.random());
  return d ? value::number(std::move(*d)) : value{};
}

value fn_sql_version(std::span<const value>, const call_context& c) {
  return value::string(std::string(to_string(c.version)));
}

// get_mqtt_property('format' | 'content_type' | 'response_topic' | 'correlation_data').
value fn_get_mqtt_property(std::span<const value> a, const call_context& c) {
  if (a[0].kind() != value_kind::string) return {};
  const std::string& name = a[0].as_string();
  const auto& m = c.msg;
  if (name == "format") {
    if (!m.payload_format_indicator) return {};
    return value::string(*m.payload_format_indicator == 1 ? "UTF8_DATA" : "UNSPECIFIED_BYTES");
  }
  if (name == "content_type") return m.content_type ? value::string(*m.content_type) : value{};
  if (name == "response_topic") return m.response_topic ? value::string(*m.response_topic) : value{};
  if (name == "correlation_data")
    return m.correlation_data ? value::string(text::base64_encode(*m.correlation_data)) : value{};
  return {};
}

// get_user_properties(key): every value of that MQTT 5 user property, in order, as an Array.
value fn_get_user_properties(std::span<const value> a, const call_context& c) {
  auto key = to_text(a[0]);
  if (!key) return {};
  array values;
  for (const auto& [k, v] : c.msg.user_properties)
    if (k == *key) values.push_back(value::string(v));
  if (values.empty()) return {};
  return value::make_array(std::move(values));
}

}  // namespace lambkin::rules::detail
