// handoff_signal (emulator/io/lambda/handoff_signal.hpp): the in-process worker's wait for the io
// thread. A lost wake-up hangs the test (CTest's timeout fails it), so the ping-pong below checks
// both ways of waiting: spinning (the notify lands while the waiter still polls) and asleep in the
// kernel (no spin at all).
#include "emulator/io/lambda/handoff_signal.hpp"

#include <doctest/doctest.h>

#include <mutex>
#include <thread>

using lambkin::io::lambda::handoff_signal;

namespace {

/// Two threads hand a counter back and forth `rounds` times, each waiting for its turn on its
/// own signal; returns the final count.
int ping_pong(std::chrono::microseconds spin, int rounds) {
  std::mutex mutex;
  handoff_signal to_worker(spin), to_main(spin);
  int count = 0;  // even: the worker's turn; odd: main's
  std::thread worker([&] {
    for (int i = 0; i < rounds; ++i) {
      std::unique_lock lock(mutex);
      to_worker.wait(lock, [&] { return count % 2 == 0 && count / 2 == i; });
      ++count;
      to_main.notify();
    }
  });
  for (int i = 0; i < rounds; ++i) {
    std::unique_lock lock(mutex);
    to_main.wait(lock, [&] { return count % 2 == 1 && count / 2 == i; });
    ++count;
    to_worker.notify();
  }
  worker.join();
  return count;
}

}  // namespace

TEST_CASE("handoff_signal: no wake-up is lost when the waiter sleeps at once (no spin)") {
  CHECK(ping_pong(std::chrono::microseconds{0}, 2000) == 4000);
}

TEST_CASE("handoff_signal: no wake-up is lost when the waiter spins first") {
  CHECK(ping_pong(std::chrono::microseconds{200}, 2000) == 4000);
}

TEST_CASE("handoff_signal: a waiter whose condition already holds does not wait") {
  std::mutex mutex;
  handoff_signal s(std::chrono::microseconds{0});
  std::unique_lock lock(mutex);
  s.wait(lock, [] { return true; });
  CHECK(lock.owns_lock());
}
