#pragma once
// The simulator's driver: runs a scenario through the same `lambda::function_pool` the live
// emulator uses, on virtual time, and records what happened in a `trace`.
//
// The loop is a discrete-event simulation. Arrivals come from the scenario (generated up front,
// sorted); init and handler durations are drawn from its distributions; every pool command is
// carried out the way the shell would carry it out, but instantly:
//   start_environment / retry_init  → an "init done" event after a sampled init duration
//   dispatch                        → an "invocation done" event after a sampled handler duration
//                                     (failing with probability `error_rate`)
//   arm_timer / cancel_timer        → the timer's slot is (re)scheduled / cancelled in place
//   stop_environment                → the environment's pending activity is cancelled
//   reply, event_finished           → the request's outcome in the trace
// Events at the same instant run in the order they were scheduled (event_heap), pool events
// before arrivals, so a request arriving exactly when another finishes finds its environment idle.
#include "emulator/sim/result.hpp"
#include "emulator/sim/scenario.hpp"
#include "emulator/sim/trace.hpp"

namespace lambkin::sim {

/// Runs `s` to the end (every event processed, or the horizon reached) and returns the finished
/// trace. A scenario whose settings the pool or the account reject (e.g. a reservation leaving
/// less than the account's unreserved minimum) is an error naming the field.
result<trace> run_simulation(const scenario& s);

/// The unreserved minimum lambkin's simulated account keeps: AWS's 100, or a tenth of the account
/// limit for accounts under 1,000 (AWS gives small accounts a smaller floor).
std::uint32_t simulated_unreserved_minimum(std::uint32_t account_concurrency) noexcept;

}  // namespace lambkin::sim
