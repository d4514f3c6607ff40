#include "emulator/sim/simulation.hpp"

#include "emulator/core/lambda/account.hpp"
#include "emulator/core/lambda/function_pool.hpp"
#include "emulator/core/lambda/pool_settings.hpp"
#include "emulator/sim/event_heap.hpp"
#include "emulator/sim/random.hpp"

#include <algorithm>
#include <type_traits>
#include <variant>

namespace lambkin::sim {
namespace {

namespace lam = lambkin::lambda;

/// Every simulated invocation belongs to this one version (no deploys during a run).
constexpr lam::version_id sim_version{1};

init_outcome to_trace(lam::init_status s) noexcept {
  switch (s) {
    case lam::init_status::success: return init_outcome::ok;
    case lam::init_status::error: return init_outcome::failed;
    case lam::init_status::timeout: return init_outcome::timeout;
  }
  return init_outcome::failed;
}

stop_reason to_trace(lam::stop_reason r) noexcept {
  switch (r) {
    case lam::stop_reason::reaped: return stop_reason::reaped;
    case lam::stop_reason::retired: return stop_reason::retired;
    case lam::stop_reason::timeout: return stop_reason::timeout;
    case lam::stop_reason::crashed: return stop_reason::crashed;
    case lam::stop_reason::out_of_memory: return stop_reason::out_of_memory;
    case lam::stop_reason::init_failed: return stop_reason::init_failed;
    case lam::stop_reason::shutdown: return stop_reason::shutdown;
  }
  return stop_reason::shutdown;
}

lam::pool_settings to_pool_settings(const scenario& s) {
  auto ps = lam::default_pool_settings(function_name{s.name.empty() ? "simulated" : s.name}, timing_profile::aws);
  ps.reserved_concurrency = s.pool.reserved_concurrency;
  if (s.pool.provisioned_concurrency > 0) ps.provisioned = lam::provisioned_config{sim_version, s.pool.provisioned_concurrency};
  ps.timeout = s.pool.timeout;
  const auto& r = s.pool.idle_retention;
  ps.retention = r.kind == distribution_kind::uniform
                     ? lam::idle_retention::uniform(r.a, r.b, derive_seed(s.seed, stream::retention))
                     : lam::idle_retention::fixed(r.a);
  ps.async.max_retry_attempts = s.pool.max_retry_attempts;
  ps.async.max_event_age = s.pool.max_event_age;
  if (!s.pool.retry_delays.empty()) {
    ps.async.retry_delays[0] = s.pool.retry_delays[0];
    ps.async.retry_delays[1] = s.pool.retry_delays.size() > 1 ? s.pool.retry_delays[1] : s.pool.retry_delays[0];
  }
  return ps;
}

/// The simulation's state: the pool, its account, the event heap and the trace.
class driver {
 public:
  driver(const scenario& s, lam::pool_settings settings, lam::account_settings acct)
      : s_(s),
        account_(acct),
        pool_(std::move(settings), account_),
        init_rng_(derive_seed(s.seed, stream::init)),
        handler_rng_(derive_seed(s.seed, stream::handler)),
        error_rng_(derive_seed(s.seed, stream::errors)) {}

  trace run() {
    const auto arrivals = generate_arrivals(s_.arrivals, derive_seed(s_.seed, stream::arrivals), s_.horizon);
    trace_.reserve(arrivals.size());
    for (const auto a : arrivals) trace_.add_request(origin_ + a);
    const std::optional<time_point> horizon =
        s_.horizon ? std::optional<time_point>(origin_ + *s_.horizon) : std::nullopt;

    // Provisioned concurrency is allocated before traffic arrives (AWS allocates it once it is
    // configured, minutes ahead). Start the pool early enough for every provisioned init to end
    // (or hit its init limit) before time zero, so the first arrival finds them ready.
    time_point now = origin_;
    if (s_.pool.provisioned_concurrency > 0) now -= provisioning_lead_;
    pool_.on_start(now, commands_);
    execute(now);
    std::size_t next_arrival = 0;
    for (;;) {
      const bool have_event = !events_.empty();
      const bool have_arrival = next_arrival < arrivals.size();
      if (!have_event && !have_arrival) break;
      // Pool events first at equal times: a completion frees its environment for a same-instant arrival.
      const bool take_arrival =
          have_arrival && (!have_event || origin_ + arrivals[next_arrival] < events_.top_time());
      const time_point at = take_arrival ? origin_ + arrivals[next_arrival] : events_.top_time();
      if (horizon && at > *horizon) break;
      now = at;
      if (take_arrival) {
        const auto r = next_arrival++;
        const lam::invocation inv{lam::invocation_id{r + 1}, sim_version,
                                  s_.invocation == invocation_mode::async ? lam::invocation_type::async
                                                                          : lam::invocation_type::sync};
        pool_.on_invoke(inv, now, commands_);
      } else {
        deliver(events_.pop(), now);
      }
      execute(now);
    }
    trace_.finish(horizon ? std::max(now, *horizon) : now);
    return std::move(trace_);
  }

 private:
  // Slots: 2·id for an environment's pending activity (init or invocation), 2·id + 1 for the
  // timer with that id. Environment and timer ids share the account's sequence (1, 2, 3…).
  static event_heap::slot activity_slot(std::uint64_t env) noexcept { return 2 * env; }
  static event_heap::slot timer_slot(std::uint64_t timer) noexcept { return 2 * timer + 1; }

  void deliver(event_heap::slot slot, time_point now) {
    const std::uint64_t id = slot / 2;
    if (slot % 2 == 1) {
      pool_.on_timer(timer_id{id}, now, commands_);
      return;
    }
    const activity a = activities_[id];
    if (a.invocation == 0) {
      pool_.on_environment_ready(environment_id{id}, now, commands_);
      return;
    }
    if (const auto lane = lane_of(id))
      trace_.end_invoke(*lane, now, a.failed ? invoke_outcome::function_error : invoke_outcome::success);
    pool_.on_invocation_done(environment_id{id}, lam::invocation_id{a.invocation},
                             a.failed ? lam::invocation_result::function_error : lam::invocation_result::success,
                             now, commands_);
  }

  void execute(time_point now) {
    // The pool never calls back into the driver, so its commands can be run straight through.
    for (const auto& c : commands_) std::visit([&](const auto& cmd) { run(cmd, now); }, c);
    commands_.clear();
  }

  void run(const lam::start_environment& c, time_point now) {
    const auto type = c.init_type == lam::initialization_type::provisioned_concurrency ? init_type::provisioned
                                                                                      : init_type::on_demand;
    const auto lane = trace_.begin_environment(now, c.env, type, c.version.value());
    set_lane(c.env.value(), lane);
    schedule_init(c.env.value(), now);
  }
  void run(const lam::retry_init& c, time_point now) {
    if (const auto lane = lane_of(c.env.value())) trace_.begin_init(*lane, now);
    schedule_init(c.env.value(), now);
  }
  void run(const lam::init_report& c, time_point now) {
    if (const auto lane = lane_of(c.env.value())) trace_.end_init(*lane, now, to_trace(c.status));
  }
  void run(const lam::dispatch& c, time_point now) {
    const auto env = c.env.value();
    if (const auto lane = lane_of(env)) trace_.begin_invoke(*lane, request_of(c.invocation), now, c.cold);
    const bool failed = s_.error_rate > 0 && error_rng_.bernoulli(s_.error_rate);
    set_activity(env, {c.invocation.value(), failed});
    events_.schedule(activity_slot(env), now + s_.handler.sample(handler_rng_));
  }
  void run(const lam::stop_environment& c, time_point now) {
    const auto env = c.env.value();
    if (const auto lane = lane_of(env)) trace_.end_environment(*lane, now, to_trace(c.reason));
    events_.cancel(activity_slot(env));  // whatever it had in flight will never report
  }
  void run(const lam::reply& c, time_point now) {
    const auto r = request_of(c.invocation);
    switch (c.outcome.kind) {
      case lam::outcome_kind::throttled: trace_.throttle(r, now, c.outcome.throttle); break;
      case lam::outcome_kind::init_error: trace_.complete(r, now, request_outcome::function_error); break;
      case lam::outcome_kind::aborted: trace_.complete(r, now, request_outcome::dropped); break;
      default: break;  // success / errors: the trace closed the attempt when it ended
    }
  }
  void run(const lam::event_finished& c, time_point now) {
    if (!c.record.is_success()) trace_.complete(request_of(c.record.invocation), now, request_outcome::dropped);
  }
  void run(const lam::arm_timer& c, time_point) { events_.schedule(timer_slot(c.timer.value()), c.deadline); }
  void run(const lam::cancel_timer& c, time_point) { events_.cancel(timer_slot(c.timer.value())); }
  void run(const lam::freeze&, time_point) {}           // nothing to freeze in virtual time
  void run(const lam::retry_scheduled&, time_point) {}  // the retry's dispatch is recorded when it runs

  void schedule_init(std::uint64_t env, time_point now) {
    set_activity(env, {});
    events_.schedule(activity_slot(env), now + s_.init.sample(init_rng_));
  }

  /// What an environment's pending activity is: its init (invocation 0) or an invocation.
  struct activity {
    std::uint64_t invocation = 0;
    bool failed = false;  // the handler will return an error
  };
  void set_activity(std::uint64_t env, activity a) {
    if (env >= activities_.size()) activities_.resize(std::max<std::size_t>(env + 1, activities_.size() * 2));
    activities_[env] = a;
  }
  void set_lane(std::uint64_t env, env_index lane) {
    if (env >= lanes_.size()) lanes_.resize(std::max<std::size_t>(env + 1, lanes_.size() * 2), no_index);
    lanes_[env] = lane;
  }
  std::optional<env_index> lane_of(std::uint64_t env) const {
    if (env < lanes_.size() && lanes_[env] != no_index) return lanes_[env];
    return std::nullopt;
  }
  static request_index request_of(lam::invocation_id id) { return static_cast<request_index>(id.value() - 1); }

  const scenario& s_;
  /// The provisioned init limit, max(130 s, timeout): every provisioned init is over by then.
  duration provisioning_lead_ = std::max<duration>(seconds(130), s_.pool.timeout) + seconds(1);
  time_point origin_{};
  lam::account account_;
  lam::function_pool pool_;
  lam::command_list commands_;
  event_heap events_;
  std::vector<activity> activities_;
  std::vector<env_index> lanes_;
  rng init_rng_, handler_rng_, error_rng_;
  trace trace_{origin_};
};

}  // namespace

std::uint32_t simulated_unreserved_minimum(std::uint32_t account_concurrency) noexcept {
  return std::min<std::uint32_t>(100, account_concurrency / 10);
}

result<trace> run_simulation(const scenario& s) {
  lam::account_settings acct{s.pool.account_concurrency, simulated_unreserved_minimum(s.pool.account_concurrency)};
  const lam::account probe(acct);
  auto settings = to_pool_settings(s);
  if (lam::function_pool::validate(settings, probe)) {
    config_error e;
    e.file = s.file;
    e.field = "reserved";
    e.message = std::to_string(s.pool.reserved_concurrency.value_or(0)) + " reserved and " +
                std::to_string(s.pool.provisioned_concurrency) +
                " provisioned leave less than the account's unreserved minimum of " +
                std::to_string(acct.unreserved_minimum) + " (account concurrency " +
                std::to_string(acct.concurrency_limit) + ")";
    return e;
  }
  driver d(s, std::move(settings), acct);
  return d.run();
}

}  // namespace lambkin::sim
