#include "emulator/io/http/http_api_invoke.hpp"

#include "emulator/core/lambda/function_arn.hpp"
#include "emulator/io/http/invoke_api.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <optional>

namespace lambkin::io::http {
namespace net = boost::asio;
namespace gw = lambkin::http;
namespace lam = lambkin::lambda;

namespace {

/// Where the detached invocation leaves its result; the timer wakes the waiting request.
struct rendezvous {
  explicit rendezvous(const net::any_io_executor& ex) : timer(ex) {}
  net::steady_timer timer;
  std::optional<lambda::invoke_result> result;
};

gw::gateway_response answer_for(const config::route_config& route, const lambda::invoke_result& r) {
  using enum gw::gateway_failure;
  switch (r.outcome.kind) {
    case lam::outcome_kind::throttled: return gw::error_response(route.kind, throttled);
    case lam::outcome_kind::aborted: return gw::error_response(route.kind, invocation_failed);
    case lam::outcome_kind::success: break;
    default: return gw::error_response(route.kind, function_error);
  }
  auto mapped = gw::map_response(r.body, route.kind, route.payload_format);
  return mapped ? std::move(*mapped) : gw::error_response(route.kind, malformed_response);
}

}  // namespace

net::awaitable<gw::gateway_response> invoke_route(lambda::lambda_service& service, const config::route_config& route,
                                                  std::string event, std::chrono::milliseconds timeout) {
  using enum gw::gateway_failure;
  auto* host = service.find(route.function.value());
  if (!host) co_return gw::error_response(route.kind, invocation_failed);
  const auto version = host->resolve(route.qualifier);
  if (!version) co_return gw::error_response(route.kind, invocation_failed);
  // Lambda refuses sync payloads over 6 MB; API Gateway reports the failed invoke as a 500.
  if (event.size() > max_sync_payload) co_return gw::error_response(route.kind, invocation_failed);

  lambda::invoke_request call;
  call.payload = std::move(event);
  call.type = lam::invocation_type::sync;
  call.version = *version;
  const auto& s = service.settings();
  call.invoked_arn = lam::format_function_arn(
      s.region, s.account_id, route.function.value(),
      route.qualifier.empty() ? std::nullopt : std::optional<std::string_view>(route.qualifier));

  const auto executor = co_await net::this_coro::executor;
  auto meeting = std::make_shared<rendezvous>(executor);
  meeting->timer.expires_after(timeout);
  // The invocation runs detached so that a timed-out request can answer while it goes on.
  net::co_spawn(
      executor,
      [host, call = std::move(call), meeting]() mutable -> net::awaitable<void> {
        meeting->result = co_await host->invoke(std::move(call));
        meeting->timer.cancel();
      },
      net::detached);
  if (!meeting->result) co_await meeting->timer.async_wait(net::as_tuple(net::use_awaitable));
  if (!meeting->result) co_return gw::error_response(route.kind, integration_timeout);
  co_return answer_for(route, *meeting->result);
}

}  // namespace lambkin::io::http
