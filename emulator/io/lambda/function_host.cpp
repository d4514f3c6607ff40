// function_host: construction, invocations, the command loop, timers and replies.
#include "emulator/io/lambda/function_host.hpp"

#include "emulator/core/lambda/log_lines.hpp"
#include "emulator/io/lambda/cold_trace.hpp"
#include "emulator/io/lambda/function_host_detail.hpp"
#include "emulator/io/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <random>

namespace lambkin::io::lambda {
namespace {

/// The first published version's pool id (`lam::function_versions` numbers `$LATEST` 1, then
/// hands out 2 to the first published version): where a template's provisioned concurrency lives.
constexpr lam::version_id first_published{2};

lam::pool_settings pool_settings_for(const config::function_config& f, const host_settings& s) {
  auto ps = lam::default_pool_settings(f.name, s.timing);
  if (f.reserved_concurrency) ps.reserved_concurrency = static_cast<std::uint32_t>(*f.reserved_concurrency);
  if (f.provisioned_concurrency && *f.provisioned_concurrency > 0)
    ps.provisioned = lam::provisioned_config{first_published, static_cast<std::uint32_t>(*f.provisioned_concurrency)};
  ps.timeout = f.timeout;
  ps.memory_mb = static_cast<std::uint32_t>(f.memory_mb);
  if (s.idle_retention) {
    const auto& r = *s.idle_retention;
    ps.retention = r.randomised() ? lam::idle_retention::uniform(r.min, r.max, r.seed.value_or(0))
                                  : lam::idle_retention::fixed(r.min);
  }
  ps.async.max_retry_attempts = static_cast<std::uint32_t>(f.event_invoke.max_retry_attempts);
  ps.async.max_event_age = f.event_invoke.max_event_age;
  return ps;
}

std::uint64_t random_seed() {
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

}  // namespace

function_host::function_host(net::any_io_executor executor, config::function_config function,
                             const host_settings& settings, lam::account& acct, record_sink records)
    : executor_(std::move(executor)),
      function_(std::move(function)),
      settings_(settings),
      records_(std::move(records)),
      runtime_version_(lam::lambkin_runtime_version(function_.runtime, settings_.region)),
      account_(&acct),
      pool_(std::make_unique<lam::function_pool>(pool_settings_for(function_, settings_), acct)),
      ids_(random_seed()) {
  for (const std::string& key : {function_.logical_id, function_.name.value()})
    if (auto it = settings_.inprocess.find(key); !inprocess_ && it != settings_.inprocess.end()) inprocess_ = it->second;
  version_records_.emplace(versions_.latest().value(), make_record(function_, ""));
  name_function_for_console(function_.name.value());
  const auto& async = function_.event_invoke;
  event_invoke_configured_ = async.on_success || async.on_failure || async.max_retry_attempts != 2 ||
                             async.max_event_age != hours(6);
  event_invoke_modified_ = static_cast<double>(wall_now_ms()) / 1000.0;
  if (function_.alias.empty()) return;
  // AutoPublishAlias: what `sam deploy` leaves behind, version 1 and the alias on it.
  const auto v = publish("");
  if (!v) return;
  (void)versions_.create_alias({function_.alias, v->name, "", new_revision_id()});
  if (function_.provisioned_concurrency && *function_.provisioned_concurrency > 0)
    provisioned_ = provisioned_state{function_.alias, static_cast<std::uint32_t>(*function_.provisioned_concurrency),
                                     version_records_.at(v->id.value()).last_modified};
}

function_host::~function_host() {
  *alive_ = false;
  watcher_.reset();
  // Destroying the slots kills and reaps every process (process_environment's destructor).
  environments_.clear();
  stopping_.clear();
}

std::error_code function_host::validate(const config::function_config& function, const host_settings& settings,
                                        const lam::account& acct) {
  return lam::function_pool::validate(pool_settings_for(function, settings), acct);
}

void function_host::start() {
  feed([=, this](lam::command_list& out) { pool_->on_start(clock::now(), out); });
  if (settings_.watch_code) start_watching();
}

void function_host::shutdown() {
  watcher_.reset();
  feed([=, this](lam::command_list& out) { pool_->on_shutdown(clock::now(), out); });
}

std::optional<lam::version_id> function_host::resolve(std::string_view qualifier) const {
  return versions_.resolve(qualifier);
}

std::string function_host::version_name(lam::version_id v) const {
  auto name = versions_.name_of(v);
  return name.empty() ? "$LATEST" : name;
}

lam::invocation_id function_host::add_pending(invoke_request& request, std::string request_id) {
  const lam::invocation_id id{next_invocation_++};
  auto p = std::make_unique<pending>(request.type == lam::invocation_type::async
                                         ? std::nullopt
                                         : std::optional<net::any_io_executor>(executor_));
  p->request_id = request_id.empty() ? ids_.request_id() : std::move(request_id);
  p->payload = std::move(request.payload);
  p->type = request.type;
  p->version = request.version;
  if (request.invoked_arn.empty()) {
    const auto name = version_name(request.version);
    p->invoked_arn = name == "$LATEST" ? function_.arn : function_.arn + ":" + name;
  } else {
    p->invoked_arn = request.invoked_arn;
  }
  p->client_context = std::move(request.client_context);
  p->enqueued_wall = wall_now_ms();
  pending_.emplace(id.value(), std::move(p));
  return id;
}

std::string function_host::enqueue(invoke_request request) {
  request.type = lam::invocation_type::async;
  const auto id = add_pending(request);
  auto& p = *pending_.at(id.value());
  if (auto* store = settings_.async_store) {
    store::stored_event e;
    e.function = function_.name.value();
    e.request_id = p.request_id;
    e.version = version_name(p.version);
    e.invoked_arn = p.invoked_arn;
    e.payload = p.payload;
    e.enqueued_ms = p.enqueued_wall;
    p.store_key = store->add(std::move(e));
  }
  observe::emit(settings_.observer, observe::event_kind::received, function_.name.value(), 0, p.request_id, "async");
  const auto version = p.version;
  auto request_id = p.request_id;
  feed([=, this](lam::command_list& out) {
    pool_->on_invoke(lam::invocation{id, version, lam::invocation_type::async}, clock::now(), out);
  });
  return request_id;
}

void function_host::restore(const std::vector<store::stored_event>& events) {
  const auto now = clock::now();
  const auto wall = wall_now_ms();
  for (const auto& e : events) {
    invoke_request request;
    request.payload = e.payload;
    request.type = lam::invocation_type::async;
    request.version = resolve(e.version).value_or(versions_.latest());
    request.invoked_arn = e.invoked_arn;
    const auto id = add_pending(request, e.request_id);
    auto& p = *pending_.at(id.value());
    p.enqueued_wall = e.enqueued_ms;
    p.store_key = e.key;
    // The age carries over: the steady clock did not run while lambkin was down, the wall clock did.
    const auto age = milliseconds(std::max<std::int64_t>(0, wall - e.enqueued_ms));
    const lam::async_event ev{id, request.version, now - age, e.invoke_count, {}, {}};
    // A retry that was not due yet when lambkin stopped waits for the rest of its delay.
    std::optional<time_point> due;
    if (e.due_ms > wall) due = now + milliseconds(e.due_ms - wall);
    feed([=, this](lam::command_list& out) { pool_->on_event_restored(ev, clock::now(), out, due); });
  }
}

net::awaitable<invoke_result> function_host::invoke(invoke_request request) {
  if (request.type == lam::invocation_type::async) {
    invoke_result accepted;
    accepted.executed_version = version_name(request.version);
    accepted.request_id = enqueue(std::move(request));
    if (auto* store = settings_.async_store) accepted.store_error = co_await store->async_flushed();
    co_return accepted;
  }
  cold_trace("invoke");
  const auto id = add_pending(request);
  auto& p = *pending_.at(id.value());
  auto waiter = p.waiter;
  const auto request_id = p.request_id;
  observe::emit(settings_.observer, observe::event_kind::received, function_.name.value(), 0, request_id, "sync");

  feed([=, this](lam::command_list& out) {
    pool_->on_invoke(lam::invocation{id, request.version, request.type}, clock::now(), out);
  });

  if (!waiter->result) co_await waiter->timer.async_wait(net::as_tuple(net::use_awaitable));
  if (!waiter->result) {
    invoke_result aborted;
    aborted.outcome = lam::invocation_outcome::aborted();
    aborted.request_id = request_id;
    co_return aborted;
  }
  co_return std::move(*waiter->result);
}

void function_host::feed(std::function<void(lam::command_list&)> input) {
  // The pool is never re-entered: an input that arrives while commands are being carried out
  // (a synchronous spawn failure, say) waits until they are done.
  if (executing_) {
    deferred_.emplace_back([this, f = std::move(input)] { feed(f); });
    return;
  }
  lam::command_list commands;
  input(commands);
  execute(commands);
  while (!deferred_.empty() && !executing_) {
    auto next = std::move(deferred_.front());
    deferred_.pop_front();
    next();
  }
}

void function_host::execute(lam::command_list& commands) {
  executing_ = true;
  for (const auto& c : commands) std::visit([this](const auto& cmd) { run(cmd); }, c);
  executing_ = false;
}

void function_host::run(const lam::arm_timer& c) {
  auto& timer = timers_[c.timer.value()];
  if (!timer) timer = std::make_unique<net::steady_timer>(executor_);
  timer->expires_at(c.deadline);
  timer->async_wait([this, alive = alive_, id = c.timer](const boost::system::error_code& ec) {
    if (ec || !*alive) return;  // cancelled or moved (a moved timer's old wait ends with operation_aborted)
    feed([=, this](lam::command_list& out) { pool_->on_timer(id, clock::now(), out); });
  });
}

void function_host::run(const lam::cancel_timer& c) {
  if (auto it = timers_.find(c.timer.value()); it != timers_.end()) timers_.erase(it);
}

void function_host::run(const lam::retry_scheduled& c) {
  auto it = pending_.find(c.invocation.value());
  if (it == pending_.end()) return;
  if (settings_.async_store && it->second->store_key != 0)
    settings_.async_store->set_attempts(
        it->second->store_key, c.invoke_count,
        wall_now_ms() + std::chrono::duration_cast<milliseconds>(c.due - clock::now()).count());
  logger("lambda")->info("{} {} attempt {} failed; retrying in {} ms", function_.name.value(),
                         it->second->request_id, c.invoke_count,
                         std::chrono::duration_cast<milliseconds>(c.due - clock::now()).count());
}

void function_host::run(const lam::event_finished& c) {
  auto it = pending_.find(c.record.invocation.value());
  if (it == pending_.end()) return;
  const auto& p = *it->second;
  if (c.record.is_success() && !function_.event_invoke.on_success) {
    // A success with nowhere to go: no record to build (JSON parses and serialisations per event,
    // measurable at pipeline rates) and none to keep, so failures stay in the last 1,000 records.
    logger("lambda")->info("{} {} async event finished: Success after {} attempt(s)", function_.name.value(),
                           p.request_id, c.record.approximate_invoke_count);
    observe::emit(settings_.observer, observe::event_kind::event_done, function_.name.value(), 0, p.request_id,
                  "dropped");
    // Still removed from the durable queue (with no record), or a restart would run it again.
    if (settings_.async_store && p.store_key != 0) settings_.async_store->finish(p.store_key, {});
    pending_.erase(it);
    return;
  }
  auto delivery = destination_for(function_, c.record, p.request_id, p.payload, p.body, settings_,
                                  version_name(c.record.executed_version));
  logger("lambda")->info("{} {} async event finished: {} after {} attempt(s){}", function_.name.value(),
                         it->second->request_id, lam::to_string(c.record.condition),
                         c.record.approximate_invoke_count,
                         delivery.destination.empty() ? "" : ", record sent to " + delivery.destination);
  observe::emit(settings_.observer, observe::event_kind::event_done, function_.name.value(), 0,
                it->second->request_id, delivery.destination.empty() ? "dropped" : delivery.destination);
  if (settings_.async_store && p.store_key != 0)
    settings_.async_store->finish(p.store_key, {0, delivery.function, delivery.destination, delivery.record_json});
  if (records_) records_(std::move(delivery));
  pending_.erase(it);
}

void function_host::run(const lam::reply& c) {
  auto it = pending_.find(c.invocation.value());
  if (it == pending_.end()) return;
  if (c.outcome.kind == lam::outcome_kind::throttled)
    observe::emit(settings_.observer, observe::event_kind::throttled, function_.name.value(), 0,
                  it->second->request_id, throttle_reason(c.outcome.throttle));
  finish(c.invocation, result_of(c));
}

void function_host::finish(lam::invocation_id id, invoke_result result) {
  auto it = pending_.find(id.value());
  if (it == pending_.end()) return;
  auto waiter = it->second->waiter;
  pending_.erase(it);
  if (!waiter) return;  // an async event: nobody waits for its result here
  waiter->result = std::move(result);
  waiter->timer.cancel();
}

}  // namespace lambkin::io::lambda
