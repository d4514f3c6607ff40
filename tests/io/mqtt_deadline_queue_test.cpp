#include "emulator/io/mqtt/deadline_queue.hpp"

#include <boost/asio/io_context.hpp>
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <vector>

using lambkin::io::mqtt::deadline_queue;

// Deadlines already past fire on the next run, in deadline order; a deadline an hour away never
// does within the test (the last firing clears the queue so that run() returns).
TEST_CASE("deadline_queue: due ids fire in deadline order, re-armed and cancelled ids do not fire early") {
  boost::asio::io_context ioc;
  std::vector<std::uint64_t> fired;
  const auto now = lambkin::clock::now();
  const auto later = now + std::chrono::hours(1);
  deadline_queue* queue = nullptr;
  deadline_queue q(ioc.get_executor(), [&](std::uint64_t id) {
    fired.push_back(id);
    if (id == 5) queue->arm(6, lambkin::clock::now() - std::chrono::milliseconds(1));  // armed while firing
    if (id == 6) queue->clear();
  });
  queue = &q;
  q.arm(1, now - std::chrono::milliseconds(3));
  q.arm(2, now - std::chrono::milliseconds(5));
  q.arm(3, now - std::chrono::milliseconds(4));
  q.arm(4, now - std::chrono::milliseconds(2));
  q.arm(3, later);  // re-armed: its old deadline is forgotten
  q.cancel(4);
  q.arm(7, later);
  q.arm(5, now - std::chrono::milliseconds(1));
  CHECK(q.size() == 5);
  ioc.run();
  CHECK(fired == std::vector<std::uint64_t>{2, 1, 5, 6});
  CHECK(q.size() == 0);
}

TEST_CASE("deadline_queue: cancelling the last id lets the io_context finish, re-arming many times fires nothing early") {
  boost::asio::io_context ioc;
  int fired = 0;
  deadline_queue q(ioc.get_executor(), [&](std::uint64_t) { ++fired; });
  const auto later = lambkin::clock::now() + std::chrono::hours(1);
  for (int i = 0; i < 1000; ++i) q.arm(static_cast<std::uint64_t>(i % 10), later + std::chrono::seconds(i));
  CHECK(q.size() == 10);
  for (std::uint64_t id = 0; id < 10; ++id) q.cancel(id);
  CHECK(q.size() == 0);
  ioc.run();  // returns: nothing is waited for
  CHECK(fired == 0);
  q.arm(42, lambkin::clock::now());
  ioc.restart();
  ioc.run();
  CHECK(fired == 1);
}

// Heap entries are told apart by their deadline (deadline_queue.hpp): an id armed twice for the
// same deadline, or moved away and back, still fires once and at that deadline.
TEST_CASE("deadline_queue: an id armed again for the same deadline, or moved away and back, fires once") {
  boost::asio::io_context ioc;
  std::vector<std::uint64_t> fired;
  const auto now = lambkin::clock::now();
  const auto later = now + std::chrono::hours(1);
  deadline_queue* queue = nullptr;
  deadline_queue q(ioc.get_executor(), [&](std::uint64_t id) {
    fired.push_back(id);
    if (id == 3) queue->clear();
  });
  queue = &q;
  q.arm(1, now - std::chrono::milliseconds(3));
  q.arm(1, now - std::chrono::milliseconds(3));  // the same deadline again
  q.arm(2, later);
  q.arm(2, now - std::chrono::milliseconds(2));  // moved earlier
  q.arm(3, now - std::chrono::milliseconds(1));
  q.arm(3, later);
  q.arm(3, now - std::chrono::milliseconds(1));  // and back
  q.arm(4, now - std::chrono::milliseconds(4));
  q.arm(4, later);  // moved later: its old entry is stale
  CHECK(q.size() == 4);
  ioc.run();
  CHECK(fired == std::vector<std::uint64_t>{1, 2, 3});
}
