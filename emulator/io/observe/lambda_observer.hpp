#pragma once
// What the Lambda shell tells the observers (timeline, metrics, dashboard) about its environments
// and invocations. The pure pool core knows nothing of this: `function_host` reports what it
// carries out, with the wall-clock time and the request ids it alone knows.
//
// One `lifecycle_event` per step of an environment's life and per request at the door:
//   received      a request arrived (detail: sync|async)
//   throttled     a sync request was refused (detail: the 429's Reason)
//   created       an environment was created (detail: on-demand|provisioned-concurrency)
//   init_start    its runtime process was spawned (INIT_START)
//   init_end      its init ended (detail: success|error|timeout; duration_ms)
//   invoke_start  an invocation was handed to it (START; cold: waited for this environment's init)
//   invoke_end    the invocation ended (REPORT; detail: success or the error type; duration_ms)
//   frozen        SIGSTOP after an invocation (or a provisioned init)
//   thawed        SIGCONT before the next one
//   reaped        stopped for idling past its retention (SIGTERM)
//   stopped       stopped gracefully otherwise (detail: retired|shutdown)
//   killed        stopped with SIGKILL (detail: timeout|crashed|out_of_memory|init_failed)
//   event_done    an async event finished (detail: the destination, or "dropped")
// `invocation_record` carries what the dashboard shows of a finished invocation.
//
// Thread safety: observers are called on the io_context's thread, like the host.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace lambkin::io::observe {

enum class event_kind : std::uint8_t {
  received, throttled, created, init_start, init_end, invoke_start, invoke_end,
  frozen, thawed, reaped, stopped, killed, event_done,
};

constexpr std::string_view to_string(event_kind k) noexcept {
  switch (k) {
    case event_kind::received: return "received";
    case event_kind::throttled: return "throttled";
    case event_kind::created: return "created";
    case event_kind::init_start: return "init_start";
    case event_kind::init_end: return "init_end";
    case event_kind::invoke_start: return "invoke_start";
    case event_kind::invoke_end: return "invoke_end";
    case event_kind::frozen: return "frozen";
    case event_kind::thawed: return "thawed";
    case event_kind::reaped: return "reaped";
    case event_kind::stopped: return "stopped";
    case event_kind::killed: return "killed";
    case event_kind::event_done: return "event_done";
  }
  return "unknown";
}

/// Wall-clock now in Unix epoch microseconds (event timestamps).
inline std::int64_t wall_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct lifecycle_event {
  /// Assigned by the timeline ring: 1, 2, … in the order events happened.
  std::uint64_t seq = 0;
  std::int64_t at_us = 0;  // Unix epoch microseconds
  event_kind kind = event_kind::received;
  std::string function;
  std::uint64_t env = 0;  // 0 for request events (received, throttled, event_done)
  std::string request_id;
  std::string detail;
  double duration_ms = -1;  // init_end, invoke_end
  bool cold = false;        // invoke_start, invoke_end
  std::string version;      // `$LATEST` or the version number (created, invoke_start)
};

/// A finished invocation attempt, for the dashboard's "recent invocations".
struct invocation_record {
  std::int64_t at_us = 0;  // when it ended
  std::string function;
  std::string request_id;
  std::string version;
  std::uint64_t env = 0;
  bool cold = false;
  std::string outcome;  // "success" or the error type
  double duration_ms = 0;
  double init_duration_ms = -1;  // cold starts only
  std::string payload;           // the event, cut to `max_text`
  std::string response;          // the function's answer, cut to `max_text`
  std::string log;               // START … REPORT (the last 4 KB)
};

class lambda_observer {
 public:
  virtual ~lambda_observer() = default;
  virtual void on_lifecycle(lifecycle_event e) = 0;
  virtual void on_invocation(invocation_record r) = 0;
};

/// Payloads and responses kept per recent invocation.
inline constexpr std::size_t max_text = 2048;

inline std::string cut_text(std::string_view s) {
  if (s.size() <= max_text) return std::string(s);
  return std::string(s.substr(0, max_text)) + "…";
}

/// Reports one lifecycle event stamped now; does nothing without an observer.
inline void emit(lambda_observer* o, event_kind kind, std::string_view function, std::uint64_t env,
                 std::string_view request_id = {}, std::string_view detail = {}, double duration_ms = -1,
                 bool cold = false, std::string_view version = {}) {
  if (!o) return;
  lifecycle_event e;
  e.at_us = wall_now_us();
  e.kind = kind;
  e.function = function;
  e.env = env;
  e.request_id = request_id;
  e.detail = detail;
  e.duration_ms = duration_ms;
  e.cold = cold;
  e.version = version;
  o->on_lifecycle(std::move(e));
}

}  // namespace lambkin::io::observe
