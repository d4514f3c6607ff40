#pragma once
// lambkin's own observation routes on the AWS endpoint:
//   GET /_lambkin/metrics                         Prometheus text (metrics_page.hpp)
//   GET /_lambkin/timeline?function=F&since=T     lifecycle events as JSON (timeline_ring.hpp)
//   GET /_lambkin/state                           the dashboard's snapshot (dashboard_state.hpp)
//   GET /_lambkin/events                          server-sent events for the dashboard (below)
//   GET /_lambkin/ and /_lambkin/assets/<file>    the dashboard itself (dashboard_assets.hpp)
//
// `/_lambkin/events` is a `text/event-stream` in which each response carries one batch: the
// timeline events after the client's `Last-Event-ID` (or `?after=`) as `event: timeline`, then an
// `event: state` snapshot whose `id:` is the last sequence number. The response is held until
// there is news or 2 s have passed, and then ends; `retry: 250` has EventSource reconnect at once
// with its `Last-Event-ID`, so no event is missed while the ring holds it. (lambkin's HTTP server
// writes whole responses, so the stream is a series of batches rather than one open response.)
// A first request without an id gets the last 500 events.
#include "emulator/io/http/http_server.hpp"

#include <boost/asio/awaitable.hpp>

#include <string_view>

namespace lambkin::io::http {
struct endpoint_services;
}

namespace lambkin::io::observe {

class observatory;

/// True for the paths above (GET or not: other methods are answered 405 by `handle_observe`).
bool is_observe_path(std::string_view path);

boost::asio::awaitable<http::response> handle_observe(const http::endpoint_services& services, http::request req);

/// Counts a DynamoDB request by its `X-Amz-Target` operation (`DynamoDB_20120810.PutItem` → PutItem).
void count_dynamodb_operation(observatory* o, const http::request& req);

}  // namespace lambkin::io::observe
