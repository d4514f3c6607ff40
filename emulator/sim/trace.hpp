#pragma once
// The record of one simulated run: what each execution environment did and what happened to each
// request. The driver appends to it while it runs the pool; summary, ASCII and SVG read it.
//
// Layout: flat vectors indexed by small integers, no strings, so appending costs a push_back.
//   environments()  one lane per environment, in creation order (index = `env_index`)
//   inits()         init segments of all environments (an environment re-inits after a crash)
//   invokes()       invoke attempts of all requests (async retries are extra attempts)
//   requests()      one record per arrival, in arrival order (index = `request_index`)
//   throttles()     every throttle (429), also counted on its request
// Segments are appended in time order per environment, which the renderers rely on.
//
// Driver protocol (every call takes the simulated `now`; times never go backwards per object):
//   r = add_request(arrival)                         once per arrival, in arrival order
//   e = begin_environment(now, id, type, version)    environment created; its init begins
//   end_init(e, now[, outcome])                      init done (ok), failed or timed out
//   begin_init(e, now)                               a later re-init of the same environment
//   begin_invoke(e, r, now, cold)                    dispatch; cold = r waited for e's init
//   end_invoke(e, now[, outcome])                    the attempt ends; r's outcome/end follow it
//   throttle(r, now, reason)                         429; r's outcome becomes throttled
//   complete(r, now, outcome)                        final word, e.g. dropped to the DLQ
//   end_environment(e, now, reason)                  reaped, retired, crashed …
//   finish(now)                                      closes whatever is still open
// A request's `outcome` and `end` are always the latest news: a throttled async event that later
// runs successfully ends as `success`.
#include "lambkin/clock.hpp"
#include "lambkin/error.hpp"
#include "lambkin/ids.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace lambkin::sim {

using env_index = std::uint32_t;
using request_index = std::uint32_t;
inline constexpr std::uint32_t no_index = std::numeric_limits<std::uint32_t>::max();
/// "Has not happened": the end of an open segment, the start of a request never dispatched.
inline constexpr time_point never = time_point::max();

/// How an environment came to be (`AWS_LAMBDA_INITIALIZATION_TYPE`).
enum class init_type : std::uint8_t { on_demand, provisioned };
enum class init_outcome : std::uint8_t { running, ok, failed, timeout };
enum class invoke_outcome : std::uint8_t { running, success, function_error, timeout, crashed };
/// The pool core's stop reasons (core/lambda/pool_command.hpp), plus `running` and `end_of_simulation`.
enum class stop_reason : std::uint8_t {
  running, reaped, retired, timeout, crashed, out_of_memory, init_failed, shutdown, end_of_simulation
};
/// pending: not finished yet; throttled: rejected with 429 (sync) or still waiting after one
/// (async); dropped: async event given up on (retries exhausted or too old) → DLQ/on-failure.
enum class request_outcome : std::uint8_t { pending, success, function_error, throttled, dropped };

struct environment_lane {
  environment_id id{};               ///< the pool's id, for display
  init_type type = init_type::on_demand;
  std::uint32_t version = 0;         ///< function version number the environment belongs to
  time_point created{};
  time_point stopped = never;
  stop_reason reason = stop_reason::running;
  std::uint32_t open_init = no_index;    ///< index into inits() while an init runs
  std::uint32_t open_invoke = no_index;  ///< index into invokes() while an invoke runs
};

struct init_segment {
  time_point start{};
  time_point end = never;
  env_index environment = no_index;
  init_outcome outcome = init_outcome::running;
};

struct invoke_segment {
  time_point start{};
  time_point end = never;
  request_index request = no_index;
  env_index environment = no_index;
  bool cold = false;                 ///< this attempt waited for the environment's init
  invoke_outcome outcome = invoke_outcome::running;
};

struct request_record {
  time_point arrival{};
  time_point start = never;          ///< first dispatch to an environment
  time_point end = never;            ///< latest completion, throttle or drop
  env_index environment = no_index;  ///< environment of the latest attempt
  std::uint16_t attempts = 0;        ///< invoke attempts (1 + async retries)
  std::uint16_t throttles = 0;
  bool cold = false;                 ///< some attempt waited for an init
  request_outcome outcome = request_outcome::pending;
};

struct throttle_event {
  time_point at{};
  request_index request = no_index;
  errc reason = errc::throttled_reserved_concurrency;  ///< reserved or account concurrency
};

class trace {
 public:
  /// `origin` is simulated time zero: renderers print times as offsets from it.
  explicit trace(time_point origin = {}) : origin_(origin), end_(origin) {}

  /// Pre-sizes the vectors (the driver knows the arrival count up front).
  void reserve(std::size_t requests, std::size_t environments = 0);

  request_index add_request(time_point arrival);
  /// Creates a lane and opens its first init segment at `now`.
  env_index begin_environment(time_point now, environment_id id, init_type type, std::uint32_t version = 0);
  /// Opens another init segment (re-init after a reset); closes any open one first.
  void begin_init(env_index e, time_point now);
  void end_init(env_index e, time_point now, init_outcome outcome = init_outcome::ok);
  /// Opens an attempt of request `r` on `e`; returns its index in invokes().
  std::uint32_t begin_invoke(env_index e, request_index r, time_point now, bool cold);
  /// Closes `e`'s open attempt; its request takes `end = now` and the matching outcome
  /// (success → success, anything else → function_error). No-op if nothing is open.
  void end_invoke(env_index e, time_point now, invoke_outcome outcome = invoke_outcome::success);
  void throttle(request_index r, time_point now, errc reason);
  void complete(request_index r, time_point now, request_outcome outcome);
  /// Closes the lane; an init or invoke still open ends at `now` (init → failed, or timeout for
  /// `timeout`; invoke → timeout for `timeout`, crashed for `crashed`/`out_of_memory`, else
  /// function_error). A second call for the same lane is ignored.
  void end_environment(env_index e, time_point now, stop_reason reason);
  /// Ends the run at `now`: open lanes stop with `end_of_simulation`, their open segments end at
  /// `now` (an invoke cut off this way stays `running`), requests keep their state.
  void finish(time_point now);

  /// The lane created with the pool's id `id`, if any (hash lookup).
  std::optional<env_index> find_environment(environment_id id) const;

  time_point origin() const noexcept { return origin_; }
  /// The latest time recorded so far (or passed to finish).
  time_point end_time() const noexcept { return end_; }
  bool finished() const noexcept { return finished_; }

  std::span<const environment_lane> environments() const noexcept { return lanes_; }
  std::span<const init_segment> inits() const noexcept { return inits_; }
  std::span<const invoke_segment> invokes() const noexcept { return invokes_; }
  std::span<const request_record> requests() const noexcept { return requests_; }
  std::span<const throttle_event> throttles() const noexcept { return throttles_; }

 private:
  void see(time_point t) noexcept {
    if (t > end_) end_ = t;
  }

  time_point origin_;
  time_point end_;
  bool finished_ = false;
  std::vector<environment_lane> lanes_;
  std::vector<init_segment> inits_;
  std::vector<invoke_segment> invokes_;
  std::vector<request_record> requests_;
  std::vector<throttle_event> throttles_;
  std::unordered_map<environment_id, env_index> by_id_;
};

}  // namespace lambkin::sim
