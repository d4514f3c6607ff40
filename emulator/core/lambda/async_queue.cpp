#include "emulator/core/lambda/async_queue.hpp"

#include <algorithm>
#include <iterator>

namespace lambkin::lambda {

async_queue::async_queue(const async_settings& settings)
    : settings_(settings), next_backoff_(settings.throttle_backoff_initial) {}

void async_queue::push(const async_event& ev) { ready_.push_back(ev); }

const async_event* async_queue::front(time_point now, errc cause, command_list& out) {
  // Only the front is checked here: the FIFO is nearly age-ordered, and an event behind it is
  // checked when it reaches the front (or by the scan in a backoff, when nothing moves).
  while (!ready_.empty() && expired(ready_.front(), now)) {
    finish(ready_.front(), record_condition::event_age_exceeded, cause, now, out);
    ready_.pop_front();
  }
  return ready_.empty() ? nullptr : &ready_.front();
}

async_event async_queue::pop_front() {
  async_event ev = ready_.front();
  ready_.pop_front();
  backoff_until_.reset();
  next_backoff_ = settings_.throttle_backoff_initial;
  return ev;
}

void async_queue::on_attempt_finished(async_event ev, const invocation_outcome& outcome,
                                      environment_id env, time_point now, command_list& out) {
  ev.last_outcome = outcome;
  ev.last_environment = env;
  if (!is_function_error(outcome)) {
    finish(ev, outcome.kind == outcome_kind::success ? record_condition::success
                                                     : record_condition::retries_exhausted,
           errc{}, now, out);
    return;
  }
  if (ev.invoke_count == 0 || ev.invoke_count > settings_.max_retry_attempts) {
    finish(ev, record_condition::retries_exhausted, errc{}, now, out);
    return;
  }
  const std::size_t retry = std::min<std::size_t>(ev.invoke_count - 1, waiting_.size() - 1);
  const time_point due = now + settings_.retry_delays[retry];
  if (expired(ev, due)) {
    finish(ev, record_condition::event_age_exceeded, errc{}, now, out);
    return;
  }
  waiting_[retry].push_back({ev, due});
  out.emplace_back(retry_scheduled{ev.id, ev.invoke_count, due});
}

void async_queue::push_waiting(const async_event& ev, time_point due) {
  const std::size_t retry = std::min<std::size_t>(ev.invoke_count == 0 ? 0 : ev.invoke_count - 1, waiting_.size() - 1);
  auto& list = waiting_[retry];
  // Restored events come oldest first, mostly in due order: the search usually stops at the back.
  auto at = list.end();
  while (at != list.begin() && std::prev(at)->due > due) --at;
  list.insert(at, waiting_event{ev, due});
}

void async_queue::reject(const async_event& ev, errc cause, time_point now, command_list& out) {
  finish(ev, record_condition::retries_exhausted, cause, now, out);
}

void async_queue::on_throttled(time_point now, errc cause, command_list& out) {
  expire_ready(now, cause, out);
  time_point until = now + next_backoff_;
  next_backoff_ = std::min(next_backoff_ * 2, settings_.throttle_backoff_max);
  // Wake no later than the oldest event's expiry, so its record isn't late by a whole backoff.
  for (const auto& ev : ready_) until = std::min(until, ev.enqueued_at + settings_.max_event_age);
  backoff_until_ = until;
}

void async_queue::on_timer(time_point now, errc cause, command_list& out) {
  for (auto& list : waiting_) {
    while (!list.empty() && list.front().due <= now) {
      ready_.push_back(list.front().event);
      list.pop_front();
    }
  }
  if (backoff_until_ && *backoff_until_ <= now) {
    backoff_until_.reset();
    expire_ready(now, cause, out);
  }
}

std::optional<time_point> async_queue::next_wakeup() const noexcept {
  std::optional<time_point> t = backoff_until_;
  for (const auto& list : waiting_) {
    if (!list.empty() && (!t || list.front().due < *t)) t = list.front().due;
  }
  return t;
}

void async_queue::clear() noexcept {
  ready_.clear();
  for (auto& list : waiting_) list.clear();
  backoff_until_.reset();
  next_backoff_ = settings_.throttle_backoff_initial;
}

void async_queue::finish(const async_event& ev, record_condition condition, errc cause,
                         time_point now, command_list& out) {
  destination_record r;
  r.invocation = ev.id;
  r.executed_version = ev.version;
  r.condition = condition;
  r.approximate_invoke_count = ev.invoke_count;
  r.outcome = ev.invoke_count > 0 ? ev.last_outcome : invocation_outcome::throttled(cause);
  r.environment = ev.invoke_count > 0 ? ev.last_environment : environment_id{};
  r.enqueued_at = ev.enqueued_at;
  r.timestamp = now;
  out.emplace_back(event_finished{r});
}

void async_queue::expire_ready(time_point now, errc cause, command_list& out) {
  auto live = std::stable_partition(ready_.begin(), ready_.end(),
                                    [&](const async_event& ev) { return !expired(ev, now); });
  for (auto it = live; it != ready_.end(); ++it)
    finish(*it, record_condition::event_age_exceeded, cause, now, out);
  ready_.erase(live, ready_.end());
}

}  // namespace lambkin::lambda
