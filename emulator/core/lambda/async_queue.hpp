#pragma once
// One function's asynchronous event queue (reference/lambda.md §4.2): intake FIFO, waits before
// retries, maximum event age, throttle backoff, and the invocation records that end each event.
//
// The queue decides *when* an event may run and *how* it ends; `function_pool` owns one and
// decides *where* it runs (it asks `front()` whenever it might have capacity). Events never wait
// in the pool itself, and an event waiting for capacity is not a throttle: the pool drains the
// queue after every completion. Only when the front event cannot run and nothing in flight will
// free capacity (another function holds the account's slots) does the queue back off.
#include "emulator/core/lambda/invocation.hpp"
#include "emulator/core/lambda/invocation_outcome.hpp"
#include "emulator/core/lambda/pool_command.hpp"
#include "emulator/core/lambda/pool_settings.hpp"
#include "lambkin/clock.hpp"
#include "lambkin/error.hpp"
#include "lambkin/ids.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

namespace lambkin::lambda {

/// An async event as the queue keeps it (and as a durable store restores it).
struct async_event {
  invocation_id id;
  version_id version;
  /// When it was first enqueued: its age is measured from here.
  time_point enqueued_at{};
  /// Attempts dispatched so far (throttles don't count): the record's approximateInvokeCount.
  std::uint32_t invoke_count = 0;
  /// The last attempt's result and environment (meaningful when invoke_count > 0).
  invocation_outcome last_outcome;
  environment_id last_environment;
};

/// Thread safety: none; owned by one `function_pool`.
class async_queue {
 public:
  explicit async_queue(const async_settings& settings);

  /// Intake (and restore): the event joins the back of the ready FIFO. Never refused.
  void push(const async_event& ev);
  /// Restore of an event that was waiting for a retry (invoke_count ≥ 1) due at `due` (after
  /// now): it waits again, in due order, and moves to the ready FIFO at `due` (`on_timer`).
  void push_waiting(const async_event& ev, time_point due);

  /// The first ready event still young enough to run, or nullptr. Front events whose age reached
  /// max_event_age are removed first, each emitting `event_finished` (EventAgeExceeded; an event
  /// that never ran gets outcome `throttled(cause)`).
  const async_event* front(time_point now, errc cause, command_list& out);

  /// Removes and returns the front event (which `front()` just returned); the pool is about to
  /// run it or reject it. Ends a throttle backoff: the next throttle waits the initial backoff.
  async_event pop_front();

  /// An attempt of `ev` finished (`ev.invoke_count` already counts it):
  ///  - success → `event_finished` (Success);
  ///  - function error with retries left (invoke_count ≤ max_retry_attempts) → waits
  ///    retry_delays[invoke_count − 1], emits `retry_scheduled`; if that wait would take the event
  ///    past max_event_age → `event_finished` (EventAgeExceeded) now, as no attempt can happen;
  ///  - otherwise → `event_finished` (RetriesExhausted).
  void on_attempt_finished(async_event ev, const invocation_outcome& outcome, environment_id env,
                           time_point now, command_list& out);

  /// Ends `ev` without running it: `event_finished` (RetriesExhausted, outcome throttled(cause)).
  /// For reserved concurrency 0, where AWS sends events to the DLQ with no retries.
  void reject(const async_event& ev, errc cause, time_point now, command_list& out);

  /// The front event couldn't get capacity and nothing in flight will free any: ready events that
  /// expired are finished (EventAgeExceeded), and the queue waits before trying again —
  /// throttle_backoff_initial, doubling each time up to throttle_backoff_max, but never past the
  /// moment the oldest ready event expires.
  void on_throttled(time_point now, errc cause, command_list& out);

  /// True while a throttle backoff runs: the pool doesn't try the queue.
  bool backing_off(time_point now) const noexcept {
    return backoff_until_.has_value() && now < *backoff_until_;
  }

  /// The queue's timer fired: retries that are due move to the back of the ready FIFO; a backoff
  /// that ended is cleared and ready events that expired during it are finished.
  void on_timer(time_point now, errc cause, command_list& out);

  /// When `on_timer` is next needed: the earliest retry due time or the end of a backoff.
  std::optional<time_point> next_wakeup() const noexcept;

  /// Forgets every event (shutdown: the shell's durable store still holds them).
  void clear() noexcept;

  std::size_t size() const noexcept { return ready_.size() + waiting(); }
  std::size_t ready() const noexcept { return ready_.size(); }
  /// Events waiting for a retry.
  std::size_t waiting() const noexcept { return waiting_[0].size() + waiting_[1].size(); }
  bool empty() const noexcept { return size() == 0; }
  const async_settings& settings() const noexcept { return settings_; }
  /// PutFunctionEventInvokeConfig: retries and maximum age for events from now on (events waiting
  /// for a retry keep their scheduled time; the age check applies at their next `front`).
  void set_retry_policy(std::uint32_t max_retry_attempts, duration max_event_age) noexcept {
    settings_.max_retry_attempts = max_retry_attempts;
    settings_.max_event_age = max_event_age;
  }

 private:
  struct waiting_event {
    async_event event;
    time_point due;
  };

  bool expired(const async_event& ev, time_point now) const noexcept {
    return now - ev.enqueued_at >= settings_.max_event_age;
  }
  void finish(const async_event& ev, record_condition condition, errc cause, time_point now,
              command_list& out);
  void expire_ready(time_point now, errc cause, command_list& out);

  async_settings settings_;
  std::deque<async_event> ready_;
  /// One FIFO per retry number: every entry of a list waited the same delay, so each is sorted.
  std::array<std::deque<waiting_event>, 2> waiting_;
  std::optional<time_point> backoff_until_;
  duration next_backoff_;
};

}  // namespace lambkin::lambda
