// libFuzzer target for the Lambda Runtime API (emulator/io/lambda/runtime_api_*): the input is
// parsed as a runtime's HTTP/1.1 stream (http_input.hpp) and each request goes to the server's
// handler in order, against its state machine (started → running → response_sent, init errors),
// with two events delivered (request ids `req-1`, `req-2`) so GET /next, /response and /error can
// all succeed. The pure protocol functions see every request's header and body too. No socket:
// the server never listens; the handler runs on an io_context that only polls (a parked GET /next
// stays parked until the server closes). Build: -DLAMBKIN_BUILD_FUZZ=ON with clang; run:
//   ./runtime_api_fuzz -max_total_time=60 -max_len=4096 fuzz/corpus/runtime_api
#include "emulator/io/lambda/runtime_api_protocol.hpp"
#include "emulator/io/lambda/runtime_api_server.hpp"
#include "fuzz/http_input.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

namespace {

namespace http = lambkin::io::http;
namespace lambda = lambkin::io::lambda;

lambda::invocation_event event(std::string id) {
  lambda::invocation_event e;
  e.request_id = std::move(id);
  e.payload = R"({"n":1})";
  e.deadline_epoch_ms = 1'700'000'003'000;
  e.invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:echo";
  e.trace_id = "Root=1-5e1b4151-5ac6c58f5b5daa6532e4a3b7";
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto requests = lambkin::fuzz::parse_requests(bytes, lambda::max_payload_size + 1, 8);
  boost::asio::io_context ioc;
  std::size_t answered = 0;
  {
    lambda::runtime_api_events events;
    events.on_response = [](std::string, std::string, std::string) {};
    events.on_error = [](std::string, std::string type, std::string) {
      if (type.empty()) std::abort();  // always normalised to something
    };
    lambda::runtime_api_server server(ioc.get_executor(), std::move(events), lambda::runtime_api_options{});
    server.deliver(event("req-1"));
    server.deliver(event("req-2"));
    for (auto& req : requests) {
      const auto type = req.find(lambda::runtime_header::error_type);
      const std::string header = type == req.end() ? std::string() : std::string(type->value());
      (void)lambda::normalize_error_type(header);
      (void)lambda::error_payload(req.body(), header);
      boost::asio::co_spawn(ioc, server.handle(std::move(req)), [&](std::exception_ptr e, http::response res) {
        // Errors are answers; 500 is what a released (superseded or closed) GET /next gets.
        if (e || res.result_int() == 0) std::abort();
        ++answered;
      });
      ioc.restart();  // an io_context that ran out of work is stopped until restarted
      ioc.poll();
    }
    server.close();  // releases a parked GET /next: its 500 arrives after this point
    ioc.restart();
    ioc.poll();
  }
  (void)answered;
  return 0;
}
