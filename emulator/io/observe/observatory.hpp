#pragma once
// Where lambkin's observations meet: the lambda observer every function host reports to, the
// timeline ring, per-function statistics the pool does not keep (throttles by Reason, duration
// histograms, stops by reason, async events in flight), the recent invocations, DynamoDB
// operations by type, and a signal for the live views (SSE) waiting for the next event.
//
// Thread safety: single-threaded (the io_context's thread).
#include "emulator/io/observe/histogram.hpp"
#include "emulator/io/observe/lambda_observer.hpp"
#include "emulator/io/observe/timeline_ring.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lambkin::io::observe {

/// What the observatory learnt of one function from its events.
struct function_stats {
  /// Sync throttles by the 429's Reason.
  std::map<std::string, std::uint64_t> throttles_by_reason;
  /// Successful inits (cold starts and provisioned inits).
  seconds_histogram init_duration;
  /// Every finished invocation attempt.
  seconds_histogram duration;
  /// Finished attempts by outcome (`success`, `function_error`, `timeout`, `Runtime.ExitError`…).
  std::map<std::string, std::uint64_t> outcomes;
  /// Environments stopped, by the pool's stop reason.
  std::map<std::string, std::uint64_t> stops;
  /// Async events accepted and not finished yet: request id → when received (epoch µs).
  /// Hashed: at pipeline rates it holds the whole async backlog (10^5 ids), and an ordered map
  /// spent ~10 % of the io thread comparing 36-character ids.
  std::unordered_map<std::string, std::int64_t> async_open;
  /// Finished async events by destination (`on-success`, `on-failure`, `dlq`, `dropped`).
  std::map<std::string, std::uint64_t> async_finished;
};

class observatory final : public lambda_observer {
 public:
  explicit observatory(boost::asio::any_io_executor executor, std::size_t timeline_capacity = 20000,
                       std::size_t recent_capacity = 50);

  void on_lifecycle(lifecycle_event e) override;
  void on_invocation(invocation_record r) override;
  /// A DynamoDB API call (`PutItem`, `Query`…), from the AWS endpoint or a rule action.
  void count_table_operation(std::string_view op);

  const timeline_ring& timeline() const noexcept { return timeline_; }
  /// Newest last.
  const std::deque<invocation_record>& recent() const noexcept { return recent_; }
  const std::map<std::string, function_stats, std::less<>>& functions() const noexcept { return functions_; }
  const std::map<std::string, std::uint64_t, std::less<>>& table_operations() const noexcept { return table_ops_; }

  /// Completes when an event with a sequence number above `seq` exists (at once if one does),
  /// or after `timeout`.
  boost::asio::awaitable<void> wait_after(std::uint64_t seq, std::chrono::milliseconds timeout);

 private:
  boost::asio::any_io_executor executor_;
  timeline_ring timeline_;
  std::size_t recent_capacity_;
  std::deque<invocation_record> recent_;
  std::map<std::string, function_stats, std::less<>> functions_;
  std::map<std::string, std::uint64_t, std::less<>> table_ops_;
  std::vector<std::weak_ptr<boost::asio::steady_timer>> waiters_;
};

}  // namespace lambkin::io::observe
