// TemperatureAlert: a custom-runtime Lambda function (`provided.al2023`) on lambkin_runtime.
//
// Its event is what the HighTemperature rule selects, a reading plus the device id from the
// topic (`SELECT *, topic(2) AS deviceId FROM 'things/+/temperature' WHERE temperature > …`):
//   {"temperature":34.2,"humidity":41.2,"battery":97,"seq":123,"deviceId":"dev-7"}
// When the temperature is over ALERT_THRESHOLD (default 30) it publishes, through the IoT Data
// API at $AWS_ENDPOINT_URL, QoS 1, to things/<deviceId>/alerts:
//   {"deviceId":"dev-7","temperature":34.2,"threshold":30,"at":"2024-05-01T12:00:00.123Z"}
// and logs one line. It answers {"alerted":true|false,…}; a failed publish is a function error
// (`AlertPublishFailed`), so the rule's async invocation is retried.
#include <lambkin/runtime/http_client.hpp>
#include <lambkin/runtime/runtime.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/src.hpp>  // Boost.JSON compiled in: no run-time dependency on libboost_json
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

namespace json = boost::json;
using lambkin::runtime::invocation_request;
using lambkin::runtime::invocation_response;

namespace {

double threshold_from_env() {
  const char* text = std::getenv("ALERT_THRESHOLD");
  if (!text || !*text) return 30;
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  return end && *end == '\0' ? v : 30;
}

/// A number as people write it (`34.5`, `30`); Boost.JSON would write `3.45E1`.
std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

/// Now as ISO 8601 UTC with milliseconds: `2024-05-01T12:00:00.123Z`.
std::string now_iso8601() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

class alert_handler {
 public:
  alert_handler() : threshold_(threshold_from_env()), aws_(std::getenv("AWS_ENDPOINT_URL")) {}

  invocation_response operator()(const invocation_request& req) {
    json::error_code ec;
    const auto event = json::parse(req.payload, ec);
    const auto* o = ec ? nullptr : event.if_object();
    if (!o) return invocation_response::failure("the event is not a JSON object", "InvalidEvent");
    const auto* temperature = o->if_contains("temperature");
    const auto* device = o->if_contains("deviceId");
    if (!temperature || !temperature->is_number())
      return invocation_response::failure("the event has no numeric temperature", "InvalidEvent");
    if (!device || !device->is_string() || device->get_string().empty())
      return invocation_response::failure("the event has no deviceId (the rule selects topic(2) AS deviceId)",
                                          "InvalidEvent");
    const std::string id(device->get_string());
    const double t = temperature->to_number<double>();

    const std::string fields = R"({"deviceId":)" + json::serialize(json::value(id)) + R"(,"temperature":)" +
                               number_text(t) + R"(,"threshold":)" + number_text(threshold_);
    if (!(t > threshold_)) return invocation_response::success(fields + R"(,"alerted":false})");

    const std::string topic = "things/" + id + "/alerts";
    const std::string alert = fields + R"(,"at":")" + now_iso8601() + "\"}";
    const auto r = aws_.post("/topics/" + lambkin::runtime::url_encode(topic) + "?qos=1", alert);
    if (!r.error.empty() || r.status != 200) {
      const std::string why = r.error.empty() ? "HTTP " + std::to_string(r.status) + " " + r.body : r.error;
      return invocation_response::failure("publishing to " + topic + " failed: " + why, "AlertPublishFailed");
    }
    std::printf("ALERT %s at %s °C (threshold %s) published to %s\n", id.c_str(), number_text(t).c_str(),
                number_text(threshold_).c_str(), topic.c_str());
    return invocation_response::success(fields + R"(,"alerted":true,"topic":)" + json::serialize(json::value(topic)) +
                                        "}");
  }

 private:
  double threshold_;
  lambkin::runtime::http_client aws_;
};

}  // namespace

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // one log line per alert, as it happens
  alert_handler handler;  // init phase: read the environment, prepare the endpoint's connection
  return lambkin::runtime::run_handler([&handler](const invocation_request& req) { return handler(req); });
}
