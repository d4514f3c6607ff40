#pragma once
// StoreTemperature as an in-process C++ function (include/lambkin/function.hpp): the same job as
// functions/store/index.js — one item per reading {deviceId, ts, temperature, storedAt}, a
// conditional put that moves a reading of the same device and millisecond to the next free one —
// for C++ test suites and for bench/pipeline_inproc_bench.cpp.
//
//   lambkin::emulator lk({.template_file = "examples/temperature/template.yaml",
//                         .functions = {{"StoreTemperature", lambkin::examples::store_temperature()}}});
//
// `transport::direct` sends each PutItem through `invocation_context::call_aws` (lambkin's
// DynamoDB handler without a socket); `transport::http` sends it over HTTP to
// `context.aws_endpoint_url` on one keep-alive connection per execution environment (thread),
// as an AWS SDK in a runtime process would.
#include <lambkin/function.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <string>

namespace lambkin::examples {

enum class transport { direct, http };

namespace detail {

/// One keep-alive HTTP/1.1 connection to lambkin's AWS endpoint, per thread.
class aws_http_connection {
 public:
  aws_response send(const std::string& endpoint_url, const aws_request& in) {
    namespace http = boost::beast::http;
    for (int attempt = 0; attempt < 2; ++attempt) {
      boost::system::error_code ec;
      if (!socket_ || url_ != endpoint_url) connect(endpoint_url, ec);
      if (ec) return {502, ec.message(), {}};
      http::request<http::string_body> req{http::string_to_verb(in.method), in.target, 11};
      req.set(http::field::host, "127.0.0.1");
      req.keep_alive(true);
      for (const auto& [name, value] : in.headers) req.set(name, value);
      req.body() = in.body;
      req.prepare_payload();
      http::write(*socket_, req, ec);
      http::response<http::string_body> res;
      if (!ec) http::read(*socket_, buffer_, res, ec);
      if (ec) {  // the server closed an idle connection: once more on a new one
        socket_.reset();
        continue;
      }
      if (!res.keep_alive()) socket_.reset();
      return {static_cast<int>(res.result_int()), std::move(res.body()), {}};
    }
    return {502, "connection failed", {}};
  }

 private:
  void connect(const std::string& url, boost::system::error_code& ec) {
    const auto colon = url.rfind(':');
    const auto port = static_cast<unsigned short>(std::stoi(url.substr(colon + 1)));
    socket_ = std::make_unique<boost::asio::ip::tcp::socket>(ioc_);
    socket_->connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    if (ec) {
      socket_.reset();
      return;
    }
    boost::system::error_code ignored;
    socket_->set_option(boost::asio::ip::tcp::no_delay(true), ignored);
    url_ = url;
    buffer_.clear();
  }
  boost::asio::io_context ioc_;
  std::unique_ptr<boost::asio::ip::tcp::socket> socket_;
  boost::beast::flat_buffer buffer_;
  std::string url_;
};

inline std::string number_text(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : std::string("0");
}

inline std::optional<double> number_of(const boost::json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_number()) return v->to_number<double>();
  if (v->is_string()) {  // the rule lets numeric strings through ("21.5" > -273.15 is true)
    const auto& s = v->get_string();
    double d = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc{} && end == s.data() + s.size()) return d;
  }
  return std::nullopt;
}

inline std::string json_string(const std::string& s) { return boost::json::serialize(boost::json::value(s)); }

}  // namespace detail

/// The function for the template's StoreTemperature (TABLE_NAME: `table`).
inline inprocess_function store_temperature(transport how = transport::direct,
                                            std::string table = "TemperatureReadings") {
  inprocess_function f;
  f.handler = [how, table](const std::string& event, const invocation_context& ctx) -> std::string {
    const auto doc = boost::json::parse(event);
    const auto* obj = doc.if_object();
    const auto* id = obj ? obj->if_contains("deviceId") : nullptr;
    if (!id || !id->is_string() || id->get_string().empty())
      throw std::invalid_argument("reading without a deviceId: " + event);
    const std::string device(id->get_string());
    const auto temperature = detail::number_of(obj->if_contains("temperature"));
    if (!temperature || !std::isfinite(*temperature))
      throw std::invalid_argument("reading from " + device + " without a numeric temperature: " + event);
    const auto ts_value = detail::number_of(obj->if_contains("ts"));
    auto ts = ts_value ? static_cast<long long>(*ts_value)
                       : std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
    thread_local detail::aws_http_connection connection;
    for (int attempt = 0;; ++attempt) {
      const auto stored_at = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count();
      aws_request req;
      req.headers = {{"X-Amz-Target", "DynamoDB_20120810.PutItem"}, {"Content-Type", "application/x-amz-json-1.0"}};
      req.body = R"({"TableName":)" + detail::json_string(table) + R"(,"Item":{"deviceId":{"S":)" +
                 detail::json_string(device) + R"(},"ts":{"N":")" + std::to_string(ts) +
                 R"("},"temperature":{"N":")" + detail::number_text(*temperature) + R"("},"storedAt":{"N":")" +
                 std::to_string(stored_at) + R"x("}},"ConditionExpression":"attribute_not_exists(ts)"})x";
      const auto res = how == transport::direct ? ctx.call_aws(std::move(req))
                                                : connection.send(ctx.aws_endpoint_url, req);
      if (res.status == 200) break;
      if (res.body.find("ConditionalCheckFailedException") == std::string::npos || attempt >= 100)
        throw function_error("DynamoDB.PutItemFailed", "PutItem answered " + std::to_string(res.status) + ": " + res.body);
      ts += 1;
    }
    return R"({"deviceId":)" + detail::json_string(device) + R"(,"ts":)" + std::to_string(ts) +
           R"(,"temperature":)" + detail::number_text(*temperature) + "}";
  };
  return f;
}

}  // namespace lambkin::examples
