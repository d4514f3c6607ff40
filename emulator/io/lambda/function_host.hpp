#pragma once
// One function, live: the shell that carries out what its `lambda::function_pool` decides, with
// real runtime processes (process_environment) speaking the Runtime API (runtime_api_server).
//
//  - `invoke` hands an invocation to the pool. Sync: the coroutine waits for the pool's `reply`
//    (success, function error, throttle, timeout…) and returns it. Async: returns at once with
//    202 semantics; the pool's queue retries it and `event_finished` ends it (the destination
//    record is kept, see `lambda_service::destination_records`).
//  - Pool commands become actions: `start_environment` → a Runtime API listener + a spawned
//    runtime (INIT_START); the first GET /next → `on_environment_ready`; `dispatch` → thaw + the
//    event on GET /next (START); /response or /error → `on_invocation_done`; `freeze` → SIGSTOP;
//    `stop_environment` → SIGTERM (reaped, retired, shutdown: 2 s grace) or SIGKILL (timeout,
//    crash, OOM); process exits and OOM kills → `on_environment_exited` / `on_out_of_memory`;
//    timers → Asio steady timers; `reply` → END and REPORT lines, then the caller's answer.
//  - Versions: `$LATEST` is version 1; a function with `AutoPublishAlias` also has version `1`
//    (pool version 2), which its alias resolves to and which holds its provisioned concurrency.
//    Environments are never shared between the two, as on AWS.
//
// Thread safety: single-threaded; every member runs on the io_context's thread.
#include "emulator/core/lambda/function_pool.hpp"
#include "emulator/core/lambda/log_lines.hpp"
#include "emulator/core/lambda/request_ids.hpp"
#include "emulator/io/lambda/process_environment.hpp"
#include "emulator/io/lambda/runtime_api_server.hpp"
#include "lambkin/config.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace lambkin::io::lambda {

namespace lam = lambkin::lambda;

/// What every function host shares: where things are and how to log.
struct host_settings {
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  /// lambkin's AWS endpoint as functions reach it (`AWS_ENDPOINT_URL`), e.g. http://127.0.0.1:4566.
  std::string aws_endpoint_url;
  /// Where the nodejs/ and python/ bootstraps live.
  std::filesystem::path runtime_dir;
  /// Parent of every environment's private TMPDIR.
  std::filesystem::path tmp_root;
  timing_profile timing = timing_profile::aws;
  std::optional<config::retention_window> idle_retention;
  /// Platform log lines as JSON records (`--log-format json`) instead of text.
  bool json_logs = false;
};

/// The answer to one invocation, in the Invoke API's terms.
struct invoke_result {
  lam::invocation_outcome outcome;
  /// The function's response, the error document, or the API error message (throttles).
  std::string body;
  std::string content_type = "application/json";
  std::string request_id;
  /// `$LATEST` or the version number that ran (`X-Amz-Executed-Version`).
  std::string executed_version = "$LATEST";
  /// The invocation's log, START to REPORT, for `X-Amz-Log-Type: Tail` (last 4 KB).
  std::string log_tail;

  /// `X-Amz-Function-Error: Unhandled`.
  bool function_error() const noexcept { return lam::is_function_error(outcome); }
};

struct invoke_request {
  std::string payload;
  lam::invocation_type type = lam::invocation_type::sync;
  /// Pool version to run (see `function_host::resolve`).
  lam::version_id version{1};
  /// The ARN the caller used (`Lambda-Runtime-Invoked-Function-Arn`).
  std::string invoked_arn;
  /// Client context as JSON text (already base64-decoded), sync only.
  std::string client_context;
};

/// A finished async event's record, serialised as reference §4.2 shows it.
struct destination_delivery {
  std::string function;
  std::string destination;  // `on-success`, `on-failure` or `dlq`; empty: dropped (none configured)
  std::string record_json;
};

class function_host {
 public:
  using record_sink = std::function<void(destination_delivery)>;

  /// Validates the pool settings against `acct` first (`validate`); throws std::system_error
  /// otherwise.
  function_host(net::any_io_executor executor, config::function_config function, const host_settings& settings,
                lam::account& acct, record_sink records = {});
  ~function_host();
  function_host(const function_host&) = delete;
  function_host& operator=(const function_host&) = delete;

  /// The pool's verdict on these settings before construction (account carve-outs…).
  static std::error_code validate(const config::function_config& function, const host_settings& settings,
                                  const lam::account& acct);

  /// Starts provisioned environments.
  void start();
  /// Stops every environment (SIGTERM, 2 s grace) and answers waiting callers `aborted`.
  void shutdown();

  /// Resolves a qualifier: empty or `$LATEST` → version 1; the alias or `1` → the published
  /// version (2) when the function has an alias. nullopt: no such version or alias.
  std::optional<lam::version_id> resolve(std::string_view qualifier) const;
  /// `$LATEST` or `1`.
  static std::string version_name(lam::version_id v);

  /// Runs one invocation; see the class comment.
  net::awaitable<invoke_result> invoke(invoke_request request);

  /// Environments stopped but whose process has not exited yet.
  bool stopping() const noexcept { return !stopping_.empty(); }

  const config::function_config& config() const noexcept { return function_; }
  const lam::function_pool& pool() const noexcept { return *pool_; }

 private:
  struct environment_slot;
  struct pending;

  void execute(lam::command_list& commands);
  void run(const lam::start_environment& c);
  void run(const lam::dispatch& c);
  void run(const lam::freeze& c);
  void run(const lam::retry_init& c);
  void run(const lam::stop_environment& c);
  void run(const lam::init_report& c);
  void run(const lam::reply& c);
  void run(const lam::retry_scheduled& c);
  void run(const lam::event_finished& c);
  void run(const lam::arm_timer& c);
  void run(const lam::cancel_timer& c);

  /// Feeds one input to the pool and carries out what it returns. Inputs that arrive while
  /// commands are being carried out wait until they are done, so capture by value.
  void feed(std::function<void(lam::command_list&)> input);

  environment_slot* slot(environment_id env);
  bool spawn(environment_slot& s);
  spawn_spec make_spawn_spec(environment_slot& s);
  void on_output(environment_slot& s, output_stream stream, std::string_view line);
  /// The runtime answered (/response, /error, or a response over the limit).
  void on_answer(environment_id env, const std::string& request_id, std::string body, std::string content_type,
                 bool error);
  /// END + REPORT (and the timeout line) for the slot's current invocation, once.
  void report(environment_slot& s, pending* p, lam::report_status status, std::string_view error_type);
  void on_exit(environment_id env, exit_status status);
  void platform_log(const std::string& line, pending* p);
  invoke_result result_of(const lam::reply& r);
  void finish(lam::invocation_id id, invoke_result result);

  net::any_io_executor executor_;
  config::function_config function_;
  host_settings settings_;
  record_sink records_;
  lam::runtime_version runtime_version_;
  std::unique_ptr<lam::function_pool> pool_;
  lam::request_id_generator ids_;
  std::uint64_t next_invocation_ = 1;
  std::map<std::uint64_t, std::unique_ptr<environment_slot>> environments_;
  /// Stopped environments whose process has not exited yet (kept so it is reaped).
  std::map<std::uint64_t, std::unique_ptr<environment_slot>> stopping_;
  std::unordered_map<std::uint64_t, std::unique_ptr<pending>> pending_;
  std::unordered_map<std::uint64_t, std::unique_ptr<net::steady_timer>> timers_;
  bool executing_ = false;
  std::deque<std::function<void()>> deferred_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lambkin::io::lambda
