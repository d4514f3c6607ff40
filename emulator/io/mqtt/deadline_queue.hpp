#pragma once
// The broker's timers (keep-alive, connect timeout, will delay, session expiry) on one Asio
// steady_timer instead of one each: a steady_timer and its pending wait cost ~0.3 KB per
// connection (issue 5). Deadlines live in a min-heap; re-arming or cancelling an id leaves its old
// heap entry behind, recognised by its deadline (not the id's current one) and skipped when it
// reaches the top (the heap is compacted when such stale entries reach an eighth of the live
// ones). An id re-armed for a deadline it had before may fire once more than armed (the old entry
// looks current again): the broker ignores late firings (broker_output.hpp).
//
// `fire(id)` runs on the executor once `clock::now()` reaches the id's deadline, one id at a
// time and in deadline order; it may arm and cancel ids itself.
//
// Thread safety: none; used on the executor's thread only.
#include "lambkin/clock.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace lambkin::io::mqtt {

class deadline_queue {
 public:
  using fire_fn = std::function<void(std::uint64_t id)>;

  deadline_queue(boost::asio::any_io_executor executor, fire_fn fire);
  ~deadline_queue();
  deadline_queue(const deadline_queue&) = delete;
  deadline_queue& operator=(const deadline_queue&) = delete;

  /// Arms `id` for `deadline`, replacing its earlier deadline if it had one.
  void arm(std::uint64_t id, time_point deadline);
  /// Forgets `id`; nothing if it is not armed.
  void cancel(std::uint64_t id);
  /// Forgets every id and stops waiting.
  void clear();
  /// Ids armed.
  std::size_t size() const noexcept { return live_.size(); }

 private:
  struct entry {  // 16 bytes: the deadline stands in for a generation number (issue 5)
    time_point deadline;
    std::uint64_t id;
  };
  bool stale(const entry& e) const;
  void pop();
  void schedule();
  void on_expired();

  boost::asio::steady_timer timer_;
  fire_fn fire_;
  std::vector<entry> heap_;                               // min-heap by deadline
  std::unordered_map<std::uint64_t, time_point> live_;  // id → its deadline (that heap entry is current)
  std::optional<time_point> waiting_for_;  // the deadline the timer waits for, if it waits
  std::uint64_t wait_generation_ = 0;      // completions of superseded waits are ignored
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lambkin::io::mqtt
