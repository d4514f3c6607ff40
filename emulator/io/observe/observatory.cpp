#include "emulator/io/observe/observatory.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace lambkin::io::observe {
namespace net = boost::asio;

observatory::observatory(net::any_io_executor executor, std::size_t timeline_capacity, std::size_t recent_capacity)
    : executor_(std::move(executor)), timeline_(timeline_capacity), recent_capacity_(recent_capacity) {}

void observatory::on_lifecycle(lifecycle_event e) {
  auto it = functions_.find(e.function);
  if (it == functions_.end()) it = functions_.emplace(e.function, function_stats{}).first;
  auto& f = it->second;
  switch (e.kind) {
    case event_kind::received:
      if (e.detail == "async") f.async_open.emplace(e.request_id, e.at_us);
      break;
    case event_kind::throttled: ++f.throttles_by_reason[e.detail]; break;
    case event_kind::init_end:
      if (e.detail == "success") f.init_duration.observe(e.duration_ms / 1000.0);
      break;
    case event_kind::invoke_end:
      f.duration.observe(e.duration_ms / 1000.0);
      ++f.outcomes[e.detail];
      break;
    case event_kind::reaped:
    case event_kind::stopped:
    case event_kind::killed: ++f.stops[e.detail]; break;
    case event_kind::event_done:
      f.async_open.erase(e.request_id);
      ++f.async_finished[e.detail];
      break;
    default: break;
  }
  timeline_.push(std::move(e));
  // Wake every live view waiting for news.
  for (auto& w : waiters_)
    if (auto t = w.lock()) t->cancel();
  waiters_.clear();
}

void observatory::on_invocation(invocation_record r) {
  recent_.push_back(std::move(r));
  while (recent_.size() > recent_capacity_) recent_.pop_front();
}

void observatory::count_table_operation(std::string_view op) {
  if (auto it = table_ops_.find(op); it != table_ops_.end()) {
    ++it->second;
  } else if (table_ops_.size() < 64) {  // DynamoDB has fewer operations; bound what clients make up
    table_ops_.emplace(std::string(op), 1);
  }
}

net::awaitable<void> observatory::wait_after(std::uint64_t seq, std::chrono::milliseconds timeout) {
  if (timeline_.last_seq() > seq) co_return;
  auto timer = std::make_shared<net::steady_timer>(executor_, timeout);
  std::erase_if(waiters_, [](const auto& w) { return w.expired(); });
  waiters_.push_back(timer);
  co_await timer->async_wait(net::as_tuple(net::use_awaitable));
}

}  // namespace lambkin::io::observe
