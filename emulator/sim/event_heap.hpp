#pragma once
// The simulator's pending events: an indexed binary min-heap with one slot per (environment or
// timer, kind), so a slot is rescheduled or cancelled in place instead of leaving stale entries
// behind. In a simulation every environment has at most one pending activity (init or invocation)
// and one timer, so the heap holds O(environments) entries however long the run, which keeps it
// in cache (a plain priority queue of never-removed timer entries grows with every re-arm).
//
// Ordering: earliest `at` first; equal times in scheduling order (`seq`), so the simulation is
// deterministic and events at one instant run in the order the pool asked for them.
// Thread safety: none.
#include "lambkin/clock.hpp"

#include <cstdint>
#include <limits>
#include <vector>

namespace lambkin::sim {

class event_heap {
 public:
  using slot = std::uint64_t;

  bool empty() const noexcept { return heap_.empty(); }
  std::size_t size() const noexcept { return heap_.size(); }

  /// Schedules `s` at `at`, replacing its pending time if it has one.
  void schedule(slot s, time_point at) {
    if (s >= where_.size()) where_.resize(std::max<std::size_t>(s + 1, where_.size() * 2), npos);
    const entry e{at, next_seq_++, s};
    if (where_[s] == npos) {
      where_[s] = heap_.size();
      heap_.push_back(e);
      up(heap_.size() - 1);
    } else {
      const auto i = where_[s];
      heap_[i] = e;
      up(i);
      down(where_[s]);
    }
  }

  /// Removes `s` if pending.
  void cancel(slot s) {
    if (!pending(s)) return;
    const auto i = where_[s];
    where_[s] = npos;
    const entry last = heap_.back();
    heap_.pop_back();
    if (i == heap_.size()) return;  // it was the last entry
    place(i, last);                 // fill the hole with the last entry, then restore order
    up(i);
    down(where_[last.s]);
  }

  bool pending(slot s) const noexcept { return s < where_.size() && where_[s] != npos; }

  /// The earliest pending slot and its time. Precondition: !empty().
  slot top() const noexcept { return heap_.front().s; }
  time_point top_time() const noexcept { return heap_.front().at; }

  /// Removes and returns the earliest slot. Precondition: !empty().
  slot pop() {
    const slot s = heap_.front().s;
    cancel(s);
    return s;
  }

 private:
  static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();
  struct entry {
    time_point at;
    std::uint64_t seq;
    slot s;
    bool before(const entry& o) const noexcept { return at != o.at ? at < o.at : seq < o.seq; }
  };

  void place(std::size_t i, const entry& e) {
    heap_[i] = e;
    where_[e.s] = i;
  }
  void up(std::size_t i) {
    const entry e = heap_[i];
    while (i > 0) {
      const auto parent = (i - 1) / 2;
      if (!e.before(heap_[parent])) break;
      place(i, heap_[parent]);
      i = parent;
    }
    place(i, e);
  }
  void down(std::size_t i) {
    const entry e = heap_[i];
    const auto n = heap_.size();
    for (;;) {
      auto child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && heap_[child + 1].before(heap_[child])) ++child;
      if (!heap_[child].before(e)) break;
      place(i, heap_[child]);
      i = child;
    }
    place(i, e);
  }

  std::vector<entry> heap_;
  std::vector<std::size_t> where_;  // slot → index in heap_, or npos
  std::uint64_t next_seq_ = 0;
};

}  // namespace lambkin::sim
