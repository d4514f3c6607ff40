#include "emulator/io/s3/s3_service.hpp"

#include "emulator/core/lambda/function_arn.hpp"
#include "emulator/core/lambda/wall_time.hpp"
#include "emulator/io/lambda/lambda_service.hpp"
#include "emulator/io/log.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <chrono>
#include <random>

namespace lambkin::io::s3 {
namespace net = boost::asio;
namespace lam = lambkin::lambda;

namespace {

epoch_ms wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

s3_service::s3_service(net::any_io_executor executor, s3_settings settings)
    : executor_(std::move(executor)), settings_(std::move(settings)) {
  store_ = std::make_unique<object_store>(settings_.root, settings_.reset);
  // Sequencers grow across restarts on the same data directory: they start from the wall clock.
  sequence_ = static_cast<std::uint64_t>(wall_ms()) << 16;
  request_counter_ = std::random_device{}();
}

s3_service::~s3_service() = default;

std::size_t s3_service::load(const config::template_config& tmpl) {
  std::size_t created = 0;
  for (const auto& b : tmpl.buckets)
    if (store_->create_bucket(b.name, wall_ms())) ++created;
  notifications_ = tmpl.bucket_notifications;
  return created;
}

std::string s3_service::next_request_id() {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::uint64_t v = ++request_counter_ * 0x9E3779B97F4A7C15ull;
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = hex[v & 15];
  return out;
}

void s3_service::notify(lambkin::s3::object_change change) {
  change.sequencer = lambkin::s3::sequencer_text(++sequence_);
  change.event_time = lam::format_iso8601(wall_ms());
  if (change.host_id.empty()) change.host_id = "lambkin/" + change.request_id;
  if (change.source_ip.empty()) change.source_ip = "127.0.0.1";
  for (const auto& n : notifications_) {
    if (n.bucket != change.bucket) continue;
    if (!lambkin::s3::notification_matches({n.events, n.prefix, n.suffix}, change.event_name, change.key)) continue;
    auto* host = functions_ ? functions_->find(n.function.value()) : nullptr;
    if (!host) {
      logger("s3")->warn("notification {} of bucket {}: function {} is not running", n.id, n.bucket, n.function.value());
      continue;
    }
    const auto version = host->resolve(n.qualifier);
    if (!version) {
      logger("s3")->warn("notification {} of bucket {}: {}:{} does not exist", n.id, n.bucket, n.function.value(),
                         n.qualifier);
      continue;
    }
    lambda::invoke_request req;
    req.payload = lambkin::s3::event_document(change, {settings_.region, settings_.account_id, n.id});
    req.type = lam::invocation_type::async;
    req.version = *version;
    req.invoked_arn = lam::format_function_arn(
        settings_.region, settings_.account_id, n.function.value(),
        n.qualifier.empty() ? std::nullopt : std::optional<std::string_view>(n.qualifier));
    ++sent_;
    // The invocation is queued at once; the coroutine only waits for the queue to take it.
    net::co_spawn(
        executor_,
        [host, req = std::move(req)]() mutable -> net::awaitable<void> { co_await host->invoke(std::move(req)); },
        net::detached);
  }
}

}  // namespace lambkin::io::s3
