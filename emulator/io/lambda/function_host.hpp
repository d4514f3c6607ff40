#pragma once
// One function, live: the shell that carries out what its `lambda::function_pool` decides, with
// real runtime processes (process_environment) speaking the Runtime API (runtime_api_server).
//
//  - `invoke` hands an invocation to the pool. Sync: the coroutine waits for the pool's `reply`
//    (success, function error, throttle, timeout…) and returns it. Async: returns at once with
//    202 semantics once the durable store (`host_settings::async_store`) has committed it; the
//    pool's queue retries it (each failed attempt's count stored) and `event_finished` ends it
//    (the row removed and the destination record stored in one transaction; see also
//    `lambda_service::destination_records`). `restore` queues again what an earlier run left.
//  - Pool commands become actions: `start_environment` → a Runtime API listener + a spawned
//    runtime (INIT_START); the first GET /next → `on_environment_ready`; `dispatch` → thaw + the
//    event on GET /next (START); /response or /error → `on_invocation_done`; `freeze` → SIGSTOP;
//    `stop_environment` → SIGTERM (reaped, retired, shutdown: 2 s grace) or SIGKILL (timeout,
//    crash, OOM); process exits and OOM kills → `on_environment_exited` / `on_out_of_memory`;
//    timers → Asio steady timers; `reply` → END and REPORT lines, then the caller's answer.
//  - Versions (`lam::function_versions`): `$LATEST` and published versions "1", "2", … each run
//    as their own pool version, so environments are never shared between them, as on AWS. Every
//    change of `$LATEST` (UpdateFunctionConfiguration, a code change seen by hot reload) gives it
//    a new pool version and retires the old one: idle environments stop at once, busy ones when
//    they finish, the next invoke is cold. Published versions keep a copy of the code and the
//    configuration they were published with. A function with `AutoPublishAlias` starts with
//    version "1" and the alias pointing to it (holding its provisioned concurrency), and, like
//    `sam deploy`, publishes a new version and moves the alias when its code changes.
//  - Control plane (function_control.hpp): the Lambda API's reads and changes of this function.
//    The pool stays the one owner of concurrency: reserved and provisioned concurrency go through
//    it, and provisioned status is read from its environments.
//  - Hot reload (`host_settings::watch_code`): a `code_watcher` on the code directory; see
//    `code_changed`.
//  - In-process functions (`host_settings::inprocess`, include/lambkin/function.hpp): the same
//    commands, carried out by an `inprocess_environment` (a worker thread) instead of a listener and
//    a process: `start_environment` → init on the thread; `dispatch` → the handler; `freeze` → the
//    thread waits; `stop_environment` → the thread ends after its job (a handler past its timeout
//    is abandoned, its result dropped). See function_host_inprocess.cpp.
//
// Thread safety: single-threaded; every member runs on the io_context's thread.
#include "emulator/core/lambda/function_pool.hpp"
#include "emulator/core/lambda/log_lines.hpp"
#include "emulator/core/lambda/request_ids.hpp"
#include "emulator/core/lambda/function_versions.hpp"
#include "emulator/io/lambda/code_watcher.hpp"
#include "emulator/io/lambda/cpu_cgroups.hpp"
#include "emulator/io/lambda/function_control.hpp"
#include "emulator/io/lambda/inprocess_environment.hpp"
#include "emulator/io/lambda/process_environment.hpp"
#include "emulator/io/lambda/runtime_api_server.hpp"
#include "emulator/io/observe/lambda_observer.hpp"
#include "emulator/io/store/async_event_store.hpp"
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
#include <vector>

namespace lambkin::io::lambda {

namespace lam = lambkin::lambda;

/// What every function host shares: where things are and how to log.
struct host_settings {
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  /// lambkin's AWS endpoint as functions reach it (`AWS_ENDPOINT_URL`), e.g. http://127.0.0.1:4566.
  std::string aws_endpoint_url;
  /// Node functions' NODE_EXTRA_CA_CERTS when the AWS endpoint serves HTTPS (`--https-ca`).
  std::string node_extra_ca_certs;
  /// The functions' `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`; empty: the dummy pair.
  std::string access_key_id, secret_access_key;
  /// Where the nodejs/ and python/ bootstraps live.
  std::filesystem::path runtime_dir;
  /// Parent of every environment's private TMPDIR.
  std::filesystem::path tmp_root;
  timing_profile timing = timing_profile::aws;
  std::optional<config::retention_window> idle_retention;
  /// Platform log lines as JSON records (`--log-format json`) instead of text.
  bool json_logs = false;
  /// Hot reload: watch each function's code directory (`lambkin run --no-watch` turns it off).
  bool watch_code = false;
  /// Where published versions keep their copy of the code (`<root>/<function>/<version>`).
  /// Empty: published versions run from the live code directory.
  std::filesystem::path versions_root;
  /// Paths the watchers ignore (lambkin's data directory).
  std::vector<std::filesystem::path> watch_exclude;
  /// Told about every environment's lifecycle and every finished invocation (timeline, metrics,
  /// dashboard); may be null. Must outlive the hosts.
  observe::lambda_observer* observer = nullptr;
  /// `--cpu-scaling`: each environment's CPU in proportion to its MemorySize; null: unlimited.
  std::shared_ptr<cpu_cgroups> cpu;
  /// In-process functions (include/lambkin/function.hpp) by logical id or physical name: these
  /// functions run on worker threads instead of runtime processes (function_host_inprocess.cpp).
  std::map<std::string, std::shared_ptr<const inprocess_function>> inprocess;
  /// Their `invocation_context::call_aws`: the AWS endpoint's handler, without a socket.
  aws_direct_handler aws_direct;
  /// The durable async queue (async events are stored before they are acknowledged, removed with
  /// their record when they finish); may be null (nothing survives a restart). Must outlive the hosts.
  store::async_event_store* async_store = nullptr;
  /// How long an idle environment's process runs on before SIGSTOP (process_environment::freeze_after);
  /// an invoke within it finds the process running. Zero: frozen at once.
  std::chrono::microseconds freeze_grace = default_freeze_grace();
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
  /// Async: the durable queue could not store the event (its error); the caller gets a 500.
  std::optional<std::string> store_error;

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

  /// Resolves an Invoke qualifier (empty, `$LATEST`, a version number, an alias) to the pool
  /// version that runs it now. nullopt: no such version or alias.
  std::optional<lam::version_id> resolve(std::string_view qualifier) const;
  /// `$LATEST` or the number of a pool version (`X-Amz-Executed-Version`).
  std::string version_name(lam::version_id v) const;

  /// Runs one invocation; see the class comment. Async: returns once the event is in the durable
  /// queue (`host_settings::async_store`), or with `store_error` when it could not be stored.
  net::awaitable<invoke_result> invoke(invoke_request request);
  /// Accepts an async event at once (`request.type` is ignored): it is queued in the pool and
  /// added to the durable store's current batch; returns its request id. For callers that wait
  /// for durability on their own (the rules engine: the MQTT writer holds PUBACKs until the
  /// store's batch is committed).
  std::string enqueue(invoke_request request);
  /// Async events an earlier run accepted and did not finish (from the durable store): queued
  /// again with their request id, enqueue time and attempt count. Their version runs if it still
  /// exists (`$LATEST` otherwise).
  void restore(const std::vector<store::stored_event>& events);

  // ---- control plane (function_host_versions.cpp, function_host_concurrency.cpp) -------------
  // Errors carry AWS's exception and message (ARNs included). Every change is logged.

  /// `$LATEST`, a version number or an alias (its version); nullopt: not found.
  std::optional<version_info> version(std::string_view qualifier) const;
  /// `$LATEST`, then the published versions in order.
  std::vector<version_info> versions() const;
  /// UpdateFunctionConfiguration: a new `$LATEST` with these settings (see the class comment).
  api_result<version_info> update_configuration(const configuration_update& update);
  /// PublishVersion. `code_sha256` / `revision_id`, when given, must match `$LATEST`'s
  /// (InvalidParameterValueException / PreconditionFailedException otherwise).
  api_result<version_info> publish_version(const std::string& description, const std::string& code_sha256 = {},
                                           const std::string& revision_id = {});

  api_result<alias_info> create_alias(const std::string& name, const std::string& version,
                                      const std::string& description);
  api_result<alias_info> alias(const std::string& name) const;
  /// Moving an alias moves its provisioned concurrency with it.
  api_result<alias_info> update_alias(const std::string& name, const std::optional<std::string>& version,
                                      const std::optional<std::string>& description);
  /// Its provisioned concurrency goes with it.
  api_result<bool> delete_alias(const std::string& name);
  /// All aliases, or those pointing to `version`.
  std::vector<alias_info> aliases(const std::optional<std::string>& version = {}) const;

  /// Reserved concurrency (nullopt: none), and Put/DeleteFunctionConcurrency.
  std::optional<std::uint32_t> reserved_concurrency() const;
  api_result<bool> set_reserved_concurrency(std::optional<std::uint32_t> reserved);

  /// Put/Get/DeleteProvisionedConcurrencyConfig on an alias or a published version. lambkin
  /// keeps one provisioned configuration per function (the pool's model): putting one on another
  /// qualifier while one exists is refused.
  api_result<provisioned_info> put_provisioned_concurrency(const std::string& qualifier, std::uint32_t count);
  api_result<provisioned_info> provisioned_concurrency(const std::string& qualifier) const;
  api_result<bool> delete_provisioned_concurrency(const std::string& qualifier);
  /// Every provisioned configuration (zero or one).
  std::vector<provisioned_info> provisioned_configs() const;

  /// Put/GetFunctionEventInvokeConfig. lambkin applies one configuration to the whole function
  /// (unqualified or `$LATEST`; other qualifiers are refused).
  api_result<event_invoke_info> put_event_invoke_config(const std::string& qualifier, const event_invoke_update& u);
  api_result<event_invoke_info> event_invoke_config(const std::string& qualifier) const;
  /// Back to AWS's defaults (2 retries, 6 hours, no destinations).
  api_result<bool> delete_event_invoke_config(const std::string& qualifier);

  /// Hot reload: the code directory changed (`path` relative to it). A new `$LATEST` (new code
  /// digest); its idle environments are retired at once, busy ones when they finish. With
  /// `AutoPublishAlias`, a new version is published and the alias moved to it. Logs
  /// `<Function>: code changed (<path>), new $LATEST; N idle environments retired`.
  void code_changed(const std::string& path);

  /// Environments stopped but whose process has not exited yet.
  bool stopping() const noexcept { return !stopping_.empty(); }

  /// The function's configuration as loaded (`$LATEST`'s current one: `version("$LATEST")`).
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
  // function_host_inprocess.cpp
  /// The environment of an in-process function: its worker and its callbacks.
  void make_inprocess(environment_slot& s);
  void dispatch_inprocess(environment_slot& s, const lam::dispatch& c, pending& p);
  spawn_spec make_spawn_spec(environment_slot& s);
  void on_output(environment_slot& s, output_stream stream, std::string_view line);
  /// The runtime answered (/response, /error, or a response over the limit).
  void on_answer(environment_id env, const std::string& request_id, std::string body, std::string content_type,
                 bool error);
  /// END + REPORT (and the timeout line) for the slot's current invocation, once.
  void report(environment_slot& s, pending* p, lam::report_status status, std::string_view error_type);
  /// Tells the observer about the attempt `report` just ended (function_host_observe.cpp).
  void observe_report(const environment_slot& s, const pending* p, lam::report_status status,
                      std::string_view error_type, double elapsed_ms);
  void on_exit(environment_id env, exit_status status);
  void platform_log(const std::string& line, pending* p);
  invoke_result result_of(const lam::reply& r);
  /// A pending entry for `request` under a new invocation id (not yet given to the pool).
  lam::invocation_id add_pending(invoke_request& request, std::string request_id = {});
  void finish(lam::invocation_id id, invoke_result result);

  // function_host_versions.cpp
  /// The record of a pool version (falls back to `$LATEST`'s for unknown ids).
  const version_record& record_of(lam::version_id v) const;
  /// A record of `cfg`, digesting its code directory unless `code` is given (configuration-only
  /// changes keep the digest).
  version_record make_record(config::function_config cfg, const std::string& description,
                             const std::optional<code_digest>& code = std::nullopt);
  /// Content fingerprint for PublishVersion's "nothing changed" check.
  static std::string fingerprint(const version_record& r);
  /// A new `$LATEST` from `cfg`: pool version renewed, timeout set, old one retired. Returns the
  /// number of idle environments stopped.
  std::size_t renew_latest(config::function_config cfg, const std::string& description,
                           const std::optional<code_digest>& code = std::nullopt);
  /// Publishes `$LATEST` (copying its code), or returns the last version if nothing changed.
  std::optional<lam::published_version> publish(const std::string& description);
  /// Retires a pool version (see `lam::function_pool::on_version_retired`); returns the number of
  /// idle environments stopped.
  std::size_t retire(lam::version_id version);
  /// `feed` for control-plane changes, which never arrive while commands execute: the input runs
  /// at once, so it may capture by reference.
  void feed_now(const std::function<void(lam::command_list&)>& input);
  /// Points the provisioned configuration's pool version where its qualifier resolves now.
  std::error_code sync_provisioned(const std::optional<std::uint32_t>& count);
  std::string arn(std::string_view qualifier) const;
  std::string new_revision_id();
  /// Logs `<Function>: provisioned concurrency on <q> READY (N environments)` once every
  /// provisioned environment has finished its init (called as each one does).
  void log_provisioned_ready();
  void start_watching();

  net::any_io_executor executor_;
  config::function_config function_;
  host_settings settings_;
  record_sink records_;
  lam::runtime_version runtime_version_;
  lam::function_versions versions_;
  /// Every pool version's content, by version id (earlier `$LATEST`s kept for queued events).
  std::map<std::uint32_t, version_record> version_records_;
  /// The provisioned configuration as put (the pool holds its version and count).
  struct provisioned_state {
    std::string qualifier;
    std::uint32_t requested = 0;
    std::string last_modified;
  };
  std::optional<provisioned_state> provisioned_;
  /// Put/GetFunctionEventInvokeConfig: the settings live in `function_.event_invoke` and the pool.
  std::string event_invoke_qualifier_ = "$LATEST";
  bool event_invoke_configured_ = false;
  double event_invoke_modified_ = 0;
  lam::account* account_;
  std::unique_ptr<lam::function_pool> pool_;
  std::unique_ptr<code_watcher> watcher_;
  /// Set when this function is registered in-process (`host_settings::inprocess`).
  std::shared_ptr<const inprocess_function> inprocess_;
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
