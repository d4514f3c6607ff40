// GetRetainedMessage and ListRetainedMessages over the broker's retained store.
#include "emulator/core/text/base64.hpp"
#include "emulator/core/text/url.hpp"
#include "emulator/io/http/iot_data_api_detail.hpp"
#include "lambkin/clock.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <chrono>

namespace lambkin::io::http::iot_data {
namespace {

constexpr int max_results_limit = 200;  // the API's MaxResults range is 1..200

/// The store keeps steady-clock times; the API answers epoch milliseconds.
std::int64_t epoch_ms_of(time_point stored_at, time_point now) {
  const auto wall_now = std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  return (wall_now - std::chrono::duration_cast<milliseconds>(now - stored_at)).count();
}

/// The API's userProperties: base64 of `[{"name":"value"},…]`.
std::string user_properties_blob(const lambkin::mqtt::properties& props) {
  boost::json::array list;
  for (const auto& p : props.user_properties) {
    boost::json::object o;
    o[p.name] = p.value;
    list.push_back(std::move(o));
  }
  return text::base64_encode(boost::json::serialize(list));
}

}  // namespace

response get_retained_message(mqtt::broker_api& broker, const request& req, const std::string& topic) {
  const auto now = clock::now();
  const auto entry = broker.find_retained(topic);
  if (!entry) {
    auto message = "No retained message found for topic: " + topic;
    if (const auto scope = broker.retained_scope(); !scope.empty()) message += " (" + scope + ")";
    return error_response(req, error::resource_not_found, message);
  }
  const auto& m = *entry->msg;
  boost::json::object body;
  body["topic"] = m.topic;
  body["payload"] = text::base64_encode(m.payload.view());
  body["qos"] = static_cast<int>(m.qos);
  body["lastModifiedTime"] = epoch_ms_of(entry->stored_at, now);
  if (!m.props.user_properties.empty()) body["userProperties"] = user_properties_blob(m.props);
  return make_response(req, 200, "application/json", boost::json::serialize(body));
}

response list_retained_messages(mqtt::broker_api& broker, const request& req, std::string_view query) {
  int max_results = max_results_limit;
  std::string after;  // the last topic of the previous page (the token, decoded)
  for (auto& [k, v] : text::parse_query(query)) {
    if (k == "maxResults") {
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), max_results);
      if (ec != std::errc() || end != v.data() + v.size() || max_results < 1 || max_results > max_results_limit)
        return error_response(req, error::invalid_request, "maxResults must be between 1 and 200");
    } else if (k == "nextToken") {
      auto decoded = text::base64_decode(v);
      if (!decoded || decoded->empty()) return error_response(req, error::invalid_request, "Invalid nextToken");
      after = std::move(*decoded);
    }
  }
  const auto now = clock::now();
  boost::json::array topics;
  std::string last;
  bool more = false;
  for (const auto& entry : broker.list_retained()) {  // by topic
    const auto& m = *entry.msg;
    if (!after.empty() && m.topic <= after) continue;
    if (static_cast<int>(topics.size()) == max_results) {
      more = true;
      break;
    }
    boost::json::object t;
    t["topic"] = m.topic;
    t["payloadSize"] = m.payload.size();
    t["qos"] = static_cast<int>(m.qos);
    t["lastModifiedTime"] = epoch_ms_of(entry.stored_at, now);
    topics.push_back(std::move(t));
    last = m.topic;
  }
  boost::json::object body;
  body["retainedTopics"] = std::move(topics);
  if (more) body["nextToken"] = text::base64_encode(last);
  return make_response(req, 200, "application/json", boost::json::serialize(body));
}

}  // namespace lambkin::io::http::iot_data
