#include "emulator/io/http/iot_data_api.hpp"

#include "emulator/core/mqtt/topic.hpp"
#include "emulator/core/text/base64.hpp"
#include "emulator/core/text/url.hpp"
#include "emulator/io/http/iot_data_api_detail.hpp"
#include "lambkin/error.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <charconv>
#include <chrono>
#include <memory>
#include <variant>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

namespace lambkin::io::http {
namespace {

using iot_data::error;
using iot_data::error_response;
namespace core = lambkin::mqtt;

constexpr std::string_view topics_prefix = "/topics/";
constexpr std::string_view retained_path = "/retainedMessage";

std::string header(const request& req, std::string_view name) {
  auto it = req.find(beast::string_view(name.data(), name.size()));
  return it == req.end() ? std::string() : std::string(it->value());
}

/// A failed parse: the message of the 400 InvalidRequestException.
struct bad_request {
  std::string message;
};

template <class T>
std::optional<T> parse_unsigned(std::string_view text) {
  T v{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

/// `x-amz-mqtt5-user-properties`: base64 of a JSON array of one-key objects,
/// `[{"deviceName":"alpha"},{"deviceCnt":"45"}]`. Order and duplicates are kept (MQTT 5 §3.3.2.3.7).
std::optional<bad_request> read_user_properties(std::string_view b64, core::properties& props) {
  const auto text = text::base64_decode(b64);
  if (!text) return bad_request{"x-amz-mqtt5-user-properties is not base64"};
  boost::system::error_code ec;
  auto value = boost::json::parse(*text, ec);
  // A JSON string holding the array (a caller that encoded the text twice) is read through.
  if (!ec && value.is_string()) value = boost::json::parse(value.get_string(), ec);
  if (ec || !value.is_array()) return bad_request{"x-amz-mqtt5-user-properties must be a JSON array of objects"};
  for (const auto& item : value.get_array()) {
    if (!item.is_object()) return bad_request{"x-amz-mqtt5-user-properties must be a JSON array of objects"};
    for (const auto& [k, v] : item.get_object())
      props.user_properties.push_back(
          {std::string(k), v.is_string() ? std::string(v.get_string()) : boost::json::serialize(v)});
  }
  return std::nullopt;
}

/// The query string and MQTT 5 headers of a Publish → the request, or what is wrong with them.
std::optional<bad_request> read_publish(const request& req, std::string_view query, core::publish_request& out) {
  for (auto& [k, v] : text::parse_query(query)) {
    if (k == "qos") {
      if (v != "0" && v != "1") return bad_request{"qos must be 0 or 1"};
      out.qos = v == "1" ? core::qos1 : core::qos0;
    } else if (k == "retain") {
      if (v != "true" && v != "false") return bad_request{"retain must be true or false"};
      out.retain = v == "true";
    } else if (k == "contentType") {
      out.props.content_type = v;
    } else if (k == "responseTopic") {
      if (core::validate_topic_name(v)) return bad_request{"responseTopic must be a topic name without wildcards"};
      out.props.response_topic = v;
    } else if (k == "messageExpiry") {
      const auto s = parse_unsigned<std::uint64_t>(v);
      if (!s || *s > std::numeric_limits<std::uint32_t>::max())
        return bad_request{"messageExpiry must be a number of seconds up to 4294967295"};
      out.props.message_expiry_interval = static_cast<std::uint32_t>(*s);
    }
  }
  if (const auto format = header(req, "x-amz-mqtt5-payload-format-indicator"); !format.empty()) {
    if (format == "UTF8_DATA")
      out.props.payload_format_indicator = core::payload_format::utf8;
    else if (format == "UNSPECIFIED_BYTES")
      out.props.payload_format_indicator = core::payload_format::unspecified;
    else
      return bad_request{"x-amz-mqtt5-payload-format-indicator must be UNSPECIFIED_BYTES or UTF8_DATA"};
  }
  if (const auto data = header(req, "x-amz-mqtt5-correlation-data"); !data.empty()) {
    auto bytes = text::base64_decode(data);
    if (!bytes) return bad_request{"x-amz-mqtt5-correlation-data is not base64"};
    out.props.correlation_data = std::move(*bytes);
  }
  if (const auto users = header(req, "x-amz-mqtt5-user-properties"); !users.empty())
    return read_user_properties(users, out.props);
  return std::nullopt;
}

/// The broker's refusal in the API's terms: the one place a broker errc becomes an IoT Data error.
response publish_refused(const request& req, std::error_code ec) {
  if (ec == errc::packet_too_large) return error_response(req, error::request_too_large, "The payload exceeds the maximum size allowed");
  if (ec == errc::topic_name_invalid) return error_response(req, error::invalid_request, "Invalid topic name");
  if (ec == errc::qos_not_supported) return error_response(req, error::invalid_request, "qos must be 0 or 1");
  if (ec == errc::server_unavailable)  // bridge mode: the external broker is not connected
    return error_response(req, error::service_unavailable, "The MQTT broker is not connected; retry later");
  if (ec.category() == error_category()) return error_response(req, error::invalid_request, ec.message());
  return error_response(req, error::internal_failure, ec.message());
}

/// The message a Publish request asks for, or the API's answer to a malformed one.
std::variant<core::publish_request, response> publish_request_of(const request& req, std::string_view encoded_topic,
                                                                  std::string_view query) {
  auto topic = text::percent_decode(encoded_topic);
  if (!topic || topic->empty()) return error_response(req, error::invalid_request, "Invalid topic name");
  core::publish_request r;
  r.topic = std::move(*topic);
  if (auto bad = read_publish(req, query, r)) return error_response(req, error::invalid_request, bad->message);
  r.payload = core::shared_bytes(req.body());
  return r;
}

response published(const request& req, std::error_code ec) {
  if (ec) return publish_refused(req, ec);
  return make_response(req, 200, "application/json", R"({"message":"OK"})");
}

response publish(mqtt::broker_api& broker, const request& req, std::string_view encoded_topic, std::string_view query) {
  auto r = publish_request_of(req, encoded_topic, query);
  if (auto* answer = std::get_if<response>(&r)) return std::move(*answer);
  return published(req, broker.publish(std::move(std::get<core::publish_request>(r))));
}

/// How long a Publish waits for an external broker's PUBACK before it answers 503.
constexpr std::chrono::seconds acknowledgement_timeout{10};

}  // namespace

namespace iot_data {

response error_response(const request& req, error e, std::string_view message) {
  struct kind {
    unsigned status;
    std::string_view type;
  };
  static constexpr kind kinds[] = {{400, "InvalidRequestException"},
                                   {404, "ResourceNotFoundException"},
                                   {405, "MethodNotAllowedException"},
                                   {413, "RequestEntityTooLargeException"},
                                   {500, "InternalFailureException"},
                                   {503, "ServiceUnavailableException"}};
  const auto& k = kinds[static_cast<std::size_t>(e)];
  boost::json::object body;
  body["message"] = message;
  auto res = make_response(req, k.status, "application/json", boost::json::serialize(body));
  res.set("x-amzn-ErrorType", std::string(k.type));
  return res;
}

}  // namespace iot_data

bool is_iot_data_path(std::string_view path) noexcept {
  return path.starts_with(topics_prefix) || path == retained_path ||
         (path.starts_with(retained_path) && path.substr(retained_path.size()).starts_with('/'));
}

net::awaitable<response> serve_iot_data(mqtt::broker_api& broker, request req) {
  const auto [path, query] = text::split_target(std::string_view(req.target().data(), req.target().size()));
  if (!path.starts_with(topics_prefix) || req.method() != beast::http::verb::post) co_return handle_iot_data(broker, req);
  auto r = publish_request_of(req, path.substr(topics_prefix.size()), query);
  if (auto* answer = std::get_if<response>(&r)) co_return std::move(*answer);
  struct wait_state {
    net::steady_timer timer;
    std::optional<std::error_code> result;
    explicit wait_state(net::any_io_executor e) : timer(std::move(e)) {}
  };
  auto state = std::make_shared<wait_state>(co_await net::this_coro::executor);
  state->timer.expires_after(acknowledgement_timeout);
  broker.publish_acknowledged(std::move(std::get<core::publish_request>(r)), [state](std::error_code ec) {
    state->result = ec;
    state->timer.cancel();
  });
  if (!state->result) co_await state->timer.async_wait(net::as_tuple(net::use_awaitable));
  if (!state->result)
    co_return error_response(req, error::service_unavailable,
                             "The MQTT broker did not acknowledge the message in time; it may or may not be delivered");
  co_return published(req, *state->result);
}

response handle_iot_data(mqtt::broker_api& broker, const request& req) {
  const auto [path, query] = text::split_target(std::string_view(req.target().data(), req.target().size()));
  const auto verb = req.method();
  if (path.starts_with(topics_prefix)) {
    if (verb != beast::http::verb::post)
      return error_response(req, error::method_not_allowed, "Publish takes POST /topics/{topic}");
    return publish(broker, req, path.substr(topics_prefix.size()), query);
  }
  if (verb != beast::http::verb::get)
    return error_response(req, error::method_not_allowed, "use GET " + std::string(retained_path));
  if (path == retained_path) return iot_data::list_retained_messages(broker, req, query);
  auto topic = text::percent_decode(path.substr(retained_path.size() + 1));
  if (!topic || topic->empty()) return error_response(req, error::invalid_request, "Invalid topic name");
  return iot_data::get_retained_message(broker, req, *topic);
}

}  // namespace lambkin::io::http
