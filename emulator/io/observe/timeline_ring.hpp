#pragma once
// The lifecycle timeline: the last `capacity` lifecycle events of every function, oldest first,
// numbered 1, 2, … (`seq`) in the order they happened. When full, the oldest event is dropped.
//
// `GET /_lambkin/timeline?function=F&since=T&after=S&limit=N` reads it (`to_json`): events of F
// (all functions when omitted) at or after T (Unix epoch milliseconds) and after sequence number
// S, at most N (the newest N), as
//   {"events":[{"seq":1,"t_us":…,"time":"2024-…Z","function":"F","event":"created","env":3,
//               "request_id":"…","detail":"on-demand","duration_ms":…,"cold":true,"version":"$LATEST"}],
//    "first_seq":1,"last_seq":7,"now_us":…}
// Fields without a value (no request id, no duration…) are left out.
#include "emulator/io/observe/lambda_observer.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace lambkin::io::observe {

struct timeline_query {
  std::string function;  // empty: every function
  std::int64_t since_us = 0;
  std::uint64_t after_seq = 0;
  std::size_t limit = 10000;
};

class timeline_ring {
 public:
  explicit timeline_ring(std::size_t capacity = 20000) : capacity_(capacity == 0 ? 1 : capacity) {}

  /// Numbers `e` and appends it (dropping the oldest when full).
  const lifecycle_event& push(lifecycle_event e);

  /// The matching events, oldest first (the newest `limit` of them).
  std::vector<const lifecycle_event*> query(const timeline_query& q) const;

  /// Sequence number of the newest event (0: none yet) and of the oldest still kept.
  std::uint64_t last_seq() const noexcept { return next_seq_ - 1; }
  std::uint64_t first_seq() const noexcept { return events_.empty() ? next_seq_ : events_.front().seq; }
  std::size_t size() const noexcept { return events_.size(); }

 private:
  std::size_t capacity_;
  std::uint64_t next_seq_ = 1;
  std::deque<lifecycle_event> events_;
};

/// One event as the timeline's JSON shows it.
boost::json::object to_json(const lifecycle_event& e);

/// The whole answer of `GET /_lambkin/timeline` for `q`.
std::string timeline_json(const timeline_ring& ring, const timeline_query& q);

/// Parses the query string of `/_lambkin/timeline` (`function`, `since`, `after`, `limit`);
/// nullopt with `error` set when a number is malformed.
std::optional<timeline_query> parse_timeline_query(std::string_view query_string, std::string& error);

}  // namespace lambkin::io::observe
