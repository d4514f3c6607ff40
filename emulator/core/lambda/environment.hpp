#pragma once
// One execution environment as the pool tracks it: the facts the shell, the reports and the
// admin API read. Plain data; only `function_pool` changes it.
#include "emulator/core/lambda/invocation.hpp"
#include "lambkin/clock.hpp"
#include "lambkin/ids.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace lambkin::lambda {

/// initializing → idle (frozen) ⇄ busy; any state → gone (`stop_environment`, then forgotten).
enum class environment_state : std::uint8_t {
  /// Spawned; init runs until the runtime's first GET /next (`on_environment_ready`).
  initializing,
  /// Warm and frozen, waiting for an invocation of its version.
  idle,
  /// Running one invocation.
  busy,
};

/// `AWS_LAMBDA_INITIALIZATION_TYPE`, fixed for the environment's lifetime.
enum class initialization_type : std::uint8_t { on_demand, provisioned_concurrency };

/// Which INIT a running init is: the normal one, or the "suppressed init" retried inside the first
/// invoke after the normal one failed or hit the init limit (`INIT_REPORT … Phase: init|invoke`).
enum class init_phase : std::uint8_t { init, invoke };

constexpr std::string_view to_string(environment_state s) noexcept {
  switch (s) {
    case environment_state::initializing: return "initializing";
    case environment_state::idle: return "idle";
    case environment_state::busy: return "busy";
  }
  return "unknown";
}

/// "on-demand" or "provisioned-concurrency": the value of AWS_LAMBDA_INITIALIZATION_TYPE.
constexpr std::string_view to_string(initialization_type t) noexcept {
  return t == initialization_type::on_demand ? "on-demand" : "provisioned-concurrency";
}

constexpr std::string_view to_string(init_phase p) noexcept {
  return p == init_phase::init ? "init" : "invoke";
}

/// The invocation an environment is bound to (initializing) or running (busy).
struct running_invocation {
  invocation_id id;
  invocation_type type = invocation_type::sync;
  /// 1 for the first attempt; async retries count up (the record's approximateInvokeCount).
  std::uint32_t attempt = 1;
  /// When the invocation arrived (async: first enqueued), for event age.
  time_point enqueued_at{};
  /// When it was bound to this environment (cold start) or dispatched to it (warm).
  time_point started_at{};
};

struct environment {
  environment_id id;
  version_id version;
  initialization_type init_type = initialization_type::on_demand;
  environment_state state = environment_state::initializing;
  /// While initializing: normal init or suppressed init.
  init_phase phase = init_phase::init;
  /// Its version was retired (or its provisioned slot removed): stopped when it next goes idle.
  bool retiring = false;
  /// Set once the first invocation after init was dispatched (only that one reports Init Duration).
  bool first_dispatched = false;
  /// Bound request (initializing) or running invocation (busy).
  std::optional<running_invocation> current;
  /// Start of the current (or last) init attempt; end of the successful one.
  time_point init_started{};
  std::optional<time_point> init_finished;
  /// Last dispatch or completion: what idle retention measures from.
  time_point last_used{};
  /// Invocations dispatched to it.
  std::uint64_t invocations = 0;
  /// Deadline of its one timer (init limit, invocation timeout or idle retention), when armed.
  /// The timer's id is the environment id (`timer_of`).
  std::optional<time_point> timer;
};

/// An environment's timer id: equal to its environment id. Environment ids and the pools' other
/// timer ids come from one `account` sequence, so they never collide.
inline timer_id timer_of(environment_id env) noexcept { return timer_id{env.value()}; }

}  // namespace lambkin::lambda
