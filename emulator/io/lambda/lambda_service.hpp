#pragma once
// Every function of a template, live: one `function_host` each, sharing one concurrency
// `account`, plus the records of finished async events (on-success / on-failure / DLQ): the last
// 1,000 in memory (dashboard, metrics), every one in the durable store when there is one
// (`host_settings::async_store`, which also holds the async events not yet finished).
//
// Thread safety: single-threaded (the io_context's thread).
#include "emulator/io/lambda/function_host.hpp"
#include "lambkin/config.hpp"

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

namespace lambkin::io::lambda {

class lambda_service {
 public:
  lambda_service(net::any_io_executor executor, const config::template_config& tmpl, host_settings settings);
  ~lambda_service();
  lambda_service(const lambda_service&) = delete;
  lambda_service& operator=(const lambda_service&) = delete;

  /// Builds and starts every function's pool (provisioned environments begin their init), then
  /// queues again the async events the durable store kept from an earlier run (logging
  /// `restored N async events`).
  /// Returns the first function the account cannot fit (its error and name) without starting any.
  std::error_code start(std::string* failed_function = nullptr);
  /// Stops every environment; waiting callers are answered `aborted`.
  void shutdown();
  /// Environments still being stopped (their processes not yet gone).
  bool stopping() const;

  /// The function with that physical name, or nullptr.
  function_host* find(const std::string& name);
  const std::map<std::string, std::unique_ptr<function_host>>& functions() const { return hosts_; }

  /// Records of finished async events, oldest first (at most the last 1,000): failures (to their
  /// on-failure destination or DLQ, or dropped) and successes with an on-success destination. A
  /// success without one is not recorded.
  const std::deque<destination_delivery>& destination_records() const { return records_; }

  const host_settings& settings() const { return settings_; }
  /// The concurrency account every function shares (GetAccountSettings).
  const lam::account& account() const { return account_; }

 private:
  void log_sandbox() const;
  void restore();

  net::any_io_executor executor_;
  const config::template_config& tmpl_;
  host_settings settings_;
  lam::account account_;
  std::map<std::string, std::unique_ptr<function_host>> hosts_;
  std::deque<destination_delivery> records_;
};

}  // namespace lambkin::io::lambda
