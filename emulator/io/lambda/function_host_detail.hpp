#pragma once
// function_host's private parts, shared by its source files (not a public header).
#include "emulator/core/lambda/wall_time.hpp"
#include "emulator/io/lambda/function_host.hpp"
#include "emulator/io/lambda/inprocess_environment.hpp"

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace lambkin::io::lambda {

/// Wall-clock now in Unix epoch milliseconds (deadlines for the runtime, record timestamps).
inline epoch_ms wall_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// `2020-11-10T05:46:57.874Z`.
inline std::string wall_iso_now() { return lam::format_iso8601(wall_now_ms()); }

/// The Lambda API's date format: `2019-08-14T22:26:11.234+0000`.
inline std::string api_date_now() {
  auto iso = wall_iso_now();  // …Z
  if (!iso.empty() && iso.back() == 'Z') iso.replace(iso.size() - 1, 1, "+0000");
  return iso;
}

/// `X-Amz-Log-Result` carries the last 4 KB of an invocation's log.
inline constexpr std::size_t log_tail_limit = 4096;

/// Where a sync caller waits: a timer that never expires, cancelled when the result is set.
struct result_waiter {
  explicit result_waiter(net::any_io_executor ex) : timer(ex, time_point::max()) {}
  net::steady_timer timer;
  std::optional<invoke_result> result;
};

/// One invocation (or async event, across its attempts) the pool knows by its invocation id.
struct function_host::pending {
  /// `ex`: where a sync caller waits; async events have no waiter (no caller waits for them, and
  /// a backlog of them should cost no timer each).
  explicit pending(std::optional<net::any_io_executor> ex)
      : waiter(ex ? std::make_shared<result_waiter>(std::move(*ex)) : nullptr) {}
  std::string request_id;
  std::string payload;
  lam::invocation_type type = lam::invocation_type::sync;
  lam::version_id version{1};
  std::string invoked_arn;
  std::string client_context;
  epoch_ms enqueued_wall = 0;
  /// Async: the durable store's key (0: not stored).
  std::int64_t store_key = 0;
  /// The latest attempt's answer from the runtime (/response or /error body).
  std::string body;
  std::string content_type = "application/json";
  bool function_error = false;
  /// START … REPORT of the latest attempt (trimmed to the last 4 KB).
  std::string log;
  std::shared_ptr<result_waiter> waiter;  // null for async events
};

/// One execution environment: its Runtime API listener and its runtime process.
struct function_host::environment_slot {
  environment_id id;
  lam::version_id version{1};
  lam::initialization_type init_type = lam::initialization_type::on_demand;
  std::string log_stream;
  std::unique_ptr<runtime_api_server> server;
  std::unique_ptr<process_environment> process;
  /// An in-process function's environment (instead of `server` and `process`).
  std::unique_ptr<inprocess_environment> inproc;
  time_point init_started{};
  std::optional<duration> init_duration;  // set at the first GET /next
  /// The invocation it is running: dispatched and not yet reported (END/REPORT).
  std::optional<lam::invocation_id> current;
  time_point invoke_started{};
  bool cold = false;
  /// The body of /runtime/init/error, returned for `init_error` outcomes.
  std::string init_error_type, init_error_body;
  /// retry_init arrived while the old process was still running: spawn when it exits.
  bool respawn_on_exit = false;
  bool stopped = false;
};

/// The host process's peak resident memory in MB (in-process environments' `Max Memory Used`).
std::uint32_t host_peak_rss_mb();

/// The destination record of a finished async event (reference §4.2), and where it goes.
/// `response_body` is the last attempt's answer (function output or error document), empty when
/// the event never ran or the platform ended it (the record then carries errorType/errorMessage).
destination_delivery destination_for(const config::function_config& f, const lam::destination_record& record,
                                     const std::string& request_id, const std::string& payload,
                                     const std::string& response_body, const host_settings& s,
                                     const std::string& executed_version);

}  // namespace lambkin::io::lambda
