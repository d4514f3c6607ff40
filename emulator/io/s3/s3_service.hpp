#pragma once
// S3 as `lambkin run` runs it: the object store under `<data-dir>/s3`, the template's buckets
// created at start, and event notifications — every change matching a bucket notification
// invokes its function asynchronously (Event), through the same queue as the Invoke API's Event
// type and the rules engine, so retries, max event age and DLQ/destinations apply.
//
// Thread safety: single-threaded (the io_context's thread).
#include "emulator/core/s3/notification.hpp"
#include "emulator/io/s3/object_store.hpp"
#include "lambkin/config.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace lambkin::io::lambda {
class lambda_service;
}

namespace lambkin::io::s3 {

struct s3_settings {
  std::filesystem::path root;  // `<data-dir>/s3`
  bool reset = false;
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
};

class s3_service {
 public:
  /// Opens the store; throws what object_store throws.
  s3_service(boost::asio::any_io_executor executor, s3_settings settings);
  ~s3_service();

  /// Creates the template's buckets that do not exist yet and takes its notifications.
  /// Answers how many buckets were created.
  std::size_t load(const config::template_config& tmpl);
  /// Where notifications invoke functions; null: notifications are dropped (no functions).
  void set_functions(lambda::lambda_service* functions) { functions_ = functions; }

  object_store& store() { return *store_; }
  const s3_settings& settings() const { return settings_; }

  /// A fresh `x-amz-request-id` (16 upper-case hex digits).
  std::string next_request_id();
  /// Invokes every function whose notification matches `change` (its sequencer, event time and
  /// host id are filled in here).
  void notify(lambkin::s3::object_change change);
  /// Notifications started (each one async invocation queued or attempted).
  std::uint64_t notifications_sent() const { return sent_; }

 private:
  boost::asio::any_io_executor executor_;
  s3_settings settings_;
  std::unique_ptr<object_store> store_;
  std::vector<config::bucket_notification> notifications_;
  lambda::lambda_service* functions_ = nullptr;
  std::uint64_t sequence_ = 0;
  std::uint64_t request_counter_ = 0;
  std::uint64_t sent_ = 0;
};

}  // namespace lambkin::io::s3
