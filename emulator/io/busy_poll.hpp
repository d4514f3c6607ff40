#pragma once
// Busy-polling the io thread while a runtime process or an in-process worker works on an event
// (issue 4: warm invoke latency; issue 8: the in-process pipeline).
//
// A warm invoke hands off three times between three processes: the caller's request wakes
// lambkin, the event wakes the runtime, the runtime's answer wakes lambkin again. On a VM an idle
// vCPU halts, and waking it (an IPI through the hypervisor) costs tens of microseconds, more than
// the work of the hand-off. While a runtime holds an event, the answer usually comes back within
// microseconds, so instead of sleeping in epoll_wait the io thread polls (non-blocking epoll_wait,
// sched_yield between polls so that a runtime or caller on the same CPU runs first) for at most a
// budget per event; past it, or when nothing is in flight, it sleeps as before. An in-process
// worker's `call_aws` and answer are posts to the io thread, which find it awake the same way.
//
// Demand is counted per io thread (thread_local): `begin`/`end` from the thread that runs the
// io_context, in pairs. The budget comes from LAMBKIN_IO_BUSY_POLL_US (default 100; 0 turns it
// off).
#include <boost/asio/io_context.hpp>

#include <chrono>

namespace lambkin::io::busy_poll {

/// An event went to a runtime: poll until `end` (or the budget is spent).
void begin() noexcept;
/// The runtime answered, or the event was dropped (reset, close).
void end() noexcept;
/// Events in flight on this thread (for tests).
int in_flight() noexcept;
/// Poll, demand or not, for `d` from now: after answering a synchronous invoke, whose caller
/// (a test loop, an SDK's next call) usually sends its next request within microseconds.
void keep_awake(std::chrono::microseconds d) noexcept;

/// The budget from LAMBKIN_IO_BUSY_POLL_US (read once).
std::chrono::microseconds budget();

/// Runs `ioc` like `ioc.run()`, polling instead of sleeping while demand lasts (within `budget`
/// of the latest `begin`) and until a `keep_awake` deadline. `budget` ≤ 0: exactly `ioc.run()`.
void run(boost::asio::io_context& ioc, std::chrono::microseconds budget);

}  // namespace lambkin::io::busy_poll
