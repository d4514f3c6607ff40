#include "emulator/sim/event_heap.hpp"

#include "emulator/sim/random.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <vector>

using namespace lambkin;
using lambkin::sim::event_heap;

TEST_CASE("event_heap pops by time, then by scheduling order") {
  event_heap h;
  const time_point t0{};
  h.schedule(5, t0 + milliseconds(20));
  h.schedule(3, t0 + milliseconds(10));
  h.schedule(9, t0 + milliseconds(10));
  h.schedule(1, t0 + milliseconds(30));
  CHECK(h.size() == 4);
  CHECK(h.pop() == 3);  // 10 ms, scheduled before slot 9
  CHECK(h.pop() == 9);
  CHECK(h.top_time() == t0 + milliseconds(20));
  CHECK(h.pop() == 5);
  CHECK(h.pop() == 1);
  CHECK(h.empty());
}

TEST_CASE("rescheduling moves a slot instead of adding a second entry, cancel removes it") {
  event_heap h;
  const time_point t0{};
  h.schedule(7, t0 + minutes(10));
  h.schedule(8, t0 + seconds(1));
  h.schedule(7, t0 + milliseconds(1));  // re-armed earlier
  CHECK(h.size() == 2);
  CHECK(h.top() == 7);
  h.schedule(7, t0 + minutes(20));  // and later again
  CHECK(h.top() == 8);
  h.cancel(8);
  h.cancel(8);  // twice is harmless
  CHECK_FALSE(h.pending(8));
  CHECK(h.size() == 1);
  CHECK(h.pop() == 7);
  CHECK(h.empty());
}

TEST_CASE("event_heap agrees with a sorted reference under random schedule/cancel/pop") {
  event_heap h;
  std::map<event_heap::slot, std::pair<time_point, std::uint64_t>> reference;  // slot → (time, seq)
  sim::rng g(42);
  std::uint64_t seq = 0;
  for (int step = 0; step < 20000; ++step) {
    const auto slot = g.next_u64() % 64;
    const auto op = g.next_u64() % 4;
    if (op < 2) {
      const time_point at{milliseconds(static_cast<std::int64_t>(g.next_u64() % 1000))};
      h.schedule(slot, at);
      reference[slot] = {at, seq++};
    } else if (op == 2) {
      h.cancel(slot);
      reference.erase(slot);
    } else if (!reference.empty()) {
      auto best = std::min_element(reference.begin(), reference.end(),
                                   [](const auto& a, const auto& b) { return a.second < b.second; });
      REQUIRE(h.top_time() == best->second.first);
      REQUIRE(h.pop() == best->first);
      reference.erase(best);
    }
    REQUIRE(h.size() == reference.size());
  }
}
