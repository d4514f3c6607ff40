#pragma once
// Test support for the pool tests: a fake driver that plays the shell. It feeds inputs at the
// fake clock's time, remembers the timers the pool armed (as the shell's timer service would) and
// fires them, each at its own deadline, when a test advances time. No threads, no sleeps.
#include "emulator/core/lambda/function_pool.hpp"
#include "lambkin/fake_clock.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace lambkin::lambda::testing {

inline const version_id v1{1};
inline const version_id v2{2};

inline invocation sync_invoke(std::uint64_t id, version_id v = v1) {
  return {invocation_id{id}, v, invocation_type::sync};
}
inline invocation async_invoke(std::uint64_t id, version_id v = v1) {
  return {invocation_id{id}, v, invocation_type::async};
}

/// All commands of type T, in order.
template <class T>
std::vector<T> all(const command_list& cmds) {
  std::vector<T> found;
  for (const auto& c : cmds)
    if (const T* t = std::get_if<T>(&c)) found.push_back(*t);
  return found;
}

template <class T>
std::size_t count(const command_list& cmds) {
  return all<T>(cmds).size();
}

/// The one command of type T (fails the test if there isn't exactly one).
template <class T>
T one(const command_list& cmds) {
  const auto found = all<T>(cmds);
  REQUIRE(found.size() == 1);
  return found.front();
}

/// Index of the first command of type T (or cmds.size()), for order checks.
template <class T>
std::size_t position(const command_list& cmds) {
  for (std::size_t i = 0; i < cmds.size(); ++i)
    if (std::holds_alternative<T>(cmds[i])) return i;
  return cmds.size();
}

class driver {
 public:
  driver(function_pool& pool, fake_clock& clock) : pool_(pool), clock_(clock) {}

  command_list start() { return run([&](auto& out) { pool_.on_start(now(), out); }); }
  command_list invoke(const invocation& inv) {
    return run([&](auto& out) { pool_.on_invoke(inv, now(), out); });
  }
  command_list ready(environment_id env) {
    return run([&](auto& out) { pool_.on_environment_ready(env, now(), out); });
  }
  command_list done(environment_id env, std::uint64_t inv,
                    invocation_result result = invocation_result::success) {
    return run([&](auto& out) { pool_.on_invocation_done(env, invocation_id{inv}, result, now(), out); });
  }
  command_list init_failed(environment_id env, init_failure why = init_failure::reported) {
    return run([&](auto& out) { pool_.on_init_failed(env, why, now(), out); });
  }
  command_list exited(environment_id env, exit_status status) {
    return run([&](auto& out) { pool_.on_environment_exited(env, status, now(), out); });
  }
  command_list out_of_memory(environment_id env) {
    return run([&](auto& out) { pool_.on_out_of_memory(env, now(), out); });
  }
  command_list retire(version_id v) {
    return run([&](auto& out) { pool_.on_version_retired(v, now(), out); });
  }
  command_list shutdown() { return run([&](auto& out) { pool_.on_shutdown(now(), out); }); }
  command_list restore(const async_event& ev, std::optional<time_point> retry_due = std::nullopt) {
    return run([&](auto& out) { pool_.on_event_restored(ev, now(), out, retry_due); });
  }

  /// Cold start `id` and report the environment ready: returns the environment.
  environment_id cold_start(std::uint64_t id, version_id v = v1) {
    const auto started = one<start_environment>(invoke(sync_invoke(id, v)));
    const auto dispatched = one<dispatch>(ready(started.env));
    CHECK(dispatched.invocation == invocation_id{id});
    return started.env;
  }

  /// Moves time forward by `d`, firing every armed timer that falls due on the way at its own
  /// deadline (earliest first); returns everything the pool emitted meanwhile.
  command_list advance(duration d) {
    const time_point target = now() + d;
    command_list all_out;
    for (;;) {
      auto due = timers_.end();
      for (auto it = timers_.begin(); it != timers_.end(); ++it)
        if (it->second <= target && (due == timers_.end() || it->second < due->second)) due = it;
      if (due == timers_.end()) break;
      const timer_id id{due->first};
      clock_.set(due->second);
      timers_.erase(due);
      for (auto& c : run([&](auto& out) { pool_.on_timer(id, now(), out); })) all_out.push_back(c);
    }
    clock_.set(target);
    return all_out;
  }

  /// The deadline of an armed timer, as the shell would hold it.
  std::optional<time_point> timer(timer_id id) const {
    auto it = timers_.find(id.value());
    if (it == timers_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<time_point> timer(environment_id env) const { return timer(timer_of(env)); }

  time_point now() const { return clock_.now(); }

 private:
  template <class F>
  command_list run(F&& input) {
    command_list out;
    input(out);
    for (const auto& c : out) {
      if (const auto* a = std::get_if<arm_timer>(&c)) timers_[a->timer.value()] = a->deadline;
      if (const auto* x = std::get_if<cancel_timer>(&c)) timers_.erase(x->timer.value());
    }
    return out;
  }

  function_pool& pool_;
  fake_clock& clock_;
  std::map<std::uint64_t, time_point> timers_;
};

/// One pool on its own account, with a fake clock and a driver: the usual test setup.
struct pool_fixture {
  explicit pool_fixture(pool_settings s, account_settings a = {}) : acct(a), pool(std::move(s), acct) {}
  fake_clock clock;
  account acct;
  function_pool pool;
  driver drive{pool, clock};
};

/// Settings for function "fn" with AWS defaults (`aws` timing).
inline pool_settings settings(timing_profile profile = timing_profile::aws) {
  return default_pool_settings(function_name{"fn"}, profile);
}

}  // namespace lambkin::lambda::testing
