// What a runtime submits: /response, /error and /init/error, and bodies over the buffering limit.
// Each checks the request id first, then the state (RIE's order), changes the state, builds the
// answer, and only then calls back: a callback may reset the server.
#include "emulator/io/lambda/runtime_api_server.hpp"

#include "emulator/io/log.hpp"

#include <charconv>

namespace lambkin::io::lambda {
namespace {

http::response reply(const http::request& req, unsigned status, std::string body) {
  return http::make_response(req, status, "application/json", std::move(body));
}

http::response accepted(const http::request& req) { return reply(req, 202, R"({"status":"OK"})"); }

std::string header(const http::request& req, std::string_view name) {
  const auto value = req[name];
  return std::string(value.data(), value.size());
}

}  // namespace

http::response runtime_api_server::on_response(http::request& req, const std::string& id, std::uint64_t size) {
  if (id.empty() || id != expected_id()) return reply(req, 400, invalid_request_id_body());
  const auto mode = req[runtime_header::response_mode];
  if (!mode.empty() && mode != "streaming") return reply(req, 400, invalid_response_mode_body());
  if (state_ != runtime_state::running)
    return reply(req, 403, invalid_transition_body(state_, runtime_transition::invocation_response));

  set_state(runtime_state::response_sent);
  if (size > max_payload_size) {
    logger("runtime")->debug("response for {} too large: {} bytes", id, size);
    auto res = reply(req, 413, request_too_large_body());
    if (events_.on_response_too_large) events_.on_response_too_large(id, size);
    return res;
  }
  auto res = accepted(req);
  auto content_type = header(req, "Content-Type");
  if (events_.on_response) events_.on_response(id, std::move(req.body()), std::move(content_type));
  return res;
}

http::response runtime_api_server::on_error(http::request& req, const std::string& id, std::uint64_t size) {
  if (id.empty() || id != expected_id()) return reply(req, 400, invalid_request_id_body());
  if (state_ != runtime_state::running)
    return reply(req, 403, invalid_transition_body(state_, runtime_transition::invocation_error_response));

  set_state(runtime_state::response_sent);
  // An error body has the same limit as a response; the caller learns the size, not the error.
  if (size > max_payload_size) {
    auto res = reply(req, 413, request_too_large_body());
    if (events_.on_response_too_large) events_.on_response_too_large(id, size);
    return res;
  }
  const auto type_header = header(req, runtime_header::error_type);
  auto body = error_payload(req.body(), type_header);
  auto res = accepted(req);
  if (events_.on_error) events_.on_error(id, normalize_error_type(type_header), std::move(body));
  return res;
}

http::response runtime_api_server::on_init_error(http::request& req, std::uint64_t size) {
  if (state_ != runtime_state::started)
    return reply(req, 403, invalid_transition_body(state_, runtime_transition::init_error));

  set_state(runtime_state::init_error);
  const auto type_header = header(req, runtime_header::error_type);
  // An oversized body is not read: the error is built from the header alone.
  const bool too_large = size > max_payload_size;
  auto body = error_payload(too_large ? std::string_view{} : std::string_view{req.body()}, type_header);
  auto res = too_large ? reply(req, 413, request_too_large_body()) : accepted(req);
  if (events_.on_init_error) events_.on_init_error(normalize_error_type(type_header), std::move(body));
  return res;
}

http::response runtime_api_server::on_body_too_large(const http::request& head) {
  // Content-Length over the buffering limit, or a chunked body that grew past it.
  std::uint64_t size = options_.buffer_limit + 1;
  const auto length = head[boost::beast::http::field::content_length];
  std::from_chars(length.data(), length.data() + length.size(), size);

  http::request req = head;
  auto target = parse_runtime_target(req.method(), {req.target().data(), req.target().size()});
  switch (target.route) {
    case runtime_route::response: return on_response(req, target.request_id, size);
    case runtime_route::error: return on_error(req, target.request_id, size);
    case runtime_route::init_error: return on_init_error(req, size);
    default: return reply(req, 413, request_too_large_body());
  }
}

}  // namespace lambkin::io::lambda
