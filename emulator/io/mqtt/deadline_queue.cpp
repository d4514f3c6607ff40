#include "emulator/io/mqtt/deadline_queue.hpp"

#include <algorithm>
#include <utility>

namespace lambkin::io::mqtt {
namespace {
struct later {
  template <class E>
  bool operator()(const E& a, const E& b) const noexcept {
    return a.deadline > b.deadline;
  }
};
}  // namespace

deadline_queue::deadline_queue(boost::asio::any_io_executor executor, fire_fn fire)
    : timer_(std::move(executor)), fire_(std::move(fire)) {
  live_.max_load_factor(2.0F);  // one id per connection: half the bucket array (issue 5)
}

deadline_queue::~deadline_queue() {
  *alive_ = false;
  timer_.cancel();
}

bool deadline_queue::stale(const entry& e) const {
  const auto it = live_.find(e.id);
  return it == live_.end() || it->second != e.deadline;
}

void deadline_queue::pop() {
  std::pop_heap(heap_.begin(), heap_.end(), later{});
  heap_.pop_back();
}

void deadline_queue::arm(std::uint64_t id, time_point deadline) {
  const auto [it, added] = live_.try_emplace(id, deadline);
  if (!added) {
    if (it->second == deadline) return;  // its heap entry is current already
    it->second = deadline;
  }
  heap_.push_back(entry{deadline, id});
  std::push_heap(heap_.begin(), heap_.end(), later{});
  // Entries left behind by re-arming and cancelling (every connection leaves its cancelled
  // connect timeout): drop them once they are an eighth of the live ones, so the heap stays
  // close to one entry per timer (issue 5: memory per idle connection). Amortised, each arm
  // pays for at most eight entries of a compaction.
  if (heap_.size() > 64 && heap_.size() > live_.size() + live_.size() / 8) {
    std::erase_if(heap_, [this](const entry& e) { return stale(e); });
    std::make_heap(heap_.begin(), heap_.end(), later{});
  }
  schedule();
}

void deadline_queue::cancel(std::uint64_t id) {
  if (live_.erase(id) == 0) return;
  if (live_.empty()) clear();  // nothing left to wait for: do not keep the io_context busy
}

void deadline_queue::clear() {
  live_.clear();
  heap_.clear();
  heap_.shrink_to_fit();
  if (waiting_for_) {
    waiting_for_.reset();
    ++wait_generation_;
    timer_.cancel();
  }
}

void deadline_queue::schedule() {
  while (!heap_.empty() && stale(heap_.front())) pop();
  if (heap_.empty()) return;
  const time_point next = heap_.front().deadline;
  if (waiting_for_ && *waiting_for_ <= next) return;  // the earlier wait re-schedules when it ends
  waiting_for_ = next;
  timer_.expires_at(next);  // ends a pending wait with operation_aborted: its generation is old
  timer_.async_wait([this, alive = alive_, generation = ++wait_generation_](boost::system::error_code) {
    if (!*alive || generation != wait_generation_) return;
    on_expired();
  });
}

void deadline_queue::on_expired() {
  const auto alive = alive_;  // `fire_` could end the queue's owner
  waiting_for_.reset();
  // One id at a time, re-reading the top: firing one may arm or cancel others.
  for (;;) {
    while (!heap_.empty() && stale(heap_.front())) pop();
    if (heap_.empty() || heap_.front().deadline > clock::now()) break;
    const std::uint64_t id = heap_.front().id;
    pop();
    live_.erase(id);
    fire_(id);
    if (!*alive) return;
  }
  schedule();
}

}  // namespace lambkin::io::mqtt
