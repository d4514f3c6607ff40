// function_host: the control plane's concurrency settings (reserved, provisioned) and async
// invocation settings. The pool decides and keeps them; this file words its verdicts as AWS does.
#include "emulator/io/lambda/function_host.hpp"
#include "emulator/io/lambda/function_host_detail.hpp"
#include "emulator/io/log.hpp"

namespace lambkin::io::lambda {
namespace {

const std::string unpublished_message =
    "Provisioned Concurrency Configs cannot be applied to unpublished function versions.";
const std::string alias_or_version_message = "The function resource provided must be an alias or a published version.";

std::string unreserved_minimum_message(std::string_view what, std::uint32_t minimum) {
  return "Specified " + std::string(what) +
         " for function decreases account's UnreservedConcurrentExecution below its minimum value of [" +
         std::to_string(minimum) + "].";
}

/// Checks an alias-or-version qualifier for the provisioned-concurrency calls: not `$LATEST`,
/// and it must exist.
std::optional<api_error> check_published(const lam::function_versions& versions, const std::string& qualifier,
                                                const std::string& arn, bool put) {
  if (qualifier.empty() || qualifier == "$LATEST")
    return api_error{errc::invalid_parameter_value, put ? unpublished_message : alias_or_version_message};
  if (lam::function_versions::is_version_name(qualifier)) {
    if (!versions.find_published(qualifier)) return api_error{errc::resource_not_found, "Function not found: " + arn};
    return std::nullopt;
  }
  const auto* a = versions.find_alias(qualifier);
  if (!a) return api_error{errc::resource_not_found, "Cannot find alias arn: " + arn};
  if (put && a->version == "$LATEST") return api_error{errc::invalid_parameter_value, unpublished_message};
  return std::nullopt;
}

}  // namespace

std::optional<std::uint32_t> function_host::reserved_concurrency() const { return pool_->settings().reserved_concurrency; }

api_result<bool> function_host::set_reserved_concurrency(std::optional<std::uint32_t> reserved) {
  std::error_code ec;
  feed_now([&](lam::command_list& out) { ec = pool_->set_reserved_concurrency(reserved, clock::now(), out); });
  if (ec) {
    const auto& pc = pool_->settings().provisioned;
    if (reserved && pc && pc->count > *reserved)
      // [?] AWS's wording for this case is not documented.
      return api_error{errc::invalid_parameter_value,
                       "Specified ReservedConcurrentExecutions for function is less than the function's provisioned "
                       "concurrency [" + std::to_string(pc->count) + "]."};
    return api_error{errc::invalid_parameter_value,
                     unreserved_minimum_message("ReservedConcurrentExecutions", account_->unreserved_minimum())};
  }
  if (reserved)
    logger("lambda")->info("{}: reserved concurrency {}", function_.name.value(), *reserved);
  else
    logger("lambda")->info("{}: reserved concurrency removed", function_.name.value());
  return true;
}

std::error_code function_host::sync_provisioned(const std::optional<std::uint32_t>& count) {
  std::optional<lam::provisioned_config> pc;
  if (count && provisioned_) {
    const auto version = versions_.resolve(provisioned_->qualifier);
    if (!version) return make_error_code(errc::resource_not_found);
    pc = lam::provisioned_config{*version, *count};
  }
  std::error_code ec;
  feed_now([&](lam::command_list& out) { ec = pool_->set_provisioned_concurrency(pc, clock::now(), out); });
  return ec;
}

api_result<provisioned_info> function_host::put_provisioned_concurrency(const std::string& qualifier,
                                                                        std::uint32_t count) {
  if (auto err = check_published(versions_, qualifier, arn(qualifier), true)) return *err;
  if (provisioned_ && provisioned_->qualifier != qualifier)
    return api_error{errc::resource_conflict,
                     "lambkin keeps one provisioned concurrency configuration per function, and " + function_.name.value() +
                         " has one on " + provisioned_->qualifier + ": delete it first."};
  const auto previous = provisioned_;
  provisioned_ = provisioned_state{qualifier, count, api_date_now()};
  if (auto ec = sync_provisioned(count)) {
    provisioned_ = previous;
    const auto reserved = pool_->settings().reserved_concurrency;
    if (reserved && count > *reserved)
      // [?] AWS's wording, as reported by users; not in the API reference.
      return api_error{errc::invalid_parameter_value,
                       "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution "
                       "for function"};
    return api_error{errc::invalid_parameter_value,
                     unreserved_minimum_message("ConcurrentExecutions", account_->unreserved_minimum())};
  }
  logger("lambda")->info("{}: provisioned concurrency {} on {}", function_.name.value(), count, qualifier);
  return *provisioned_concurrency(qualifier);
}

api_result<provisioned_info> function_host::provisioned_concurrency(const std::string& qualifier) const {
  if (auto err = check_published(versions_, qualifier, arn(qualifier), false)) return *err;
  if (!provisioned_ || provisioned_->qualifier != qualifier)
    return api_error{errc::provisioned_concurrency_config_not_found,
                     "No Provisioned Concurrency Config found for this function"};
  return provisioned_configs().front();
}

api_result<bool> function_host::delete_provisioned_concurrency(const std::string& qualifier) {
  if (auto err = check_published(versions_, qualifier, arn(qualifier), false)) return *err;
  if (provisioned_ && provisioned_->qualifier == qualifier) {  // idempotent otherwise, as on AWS
    provisioned_.reset();
    (void)sync_provisioned(std::nullopt);
    logger("lambda")->info("{}: provisioned concurrency on {} removed", function_.name.value(), qualifier);
  }
  return true;
}

void function_host::log_provisioned_ready() {
  const auto configs = provisioned_configs();
  if (configs.empty() || configs.front().available != configs.front().requested) return;
  logger("lambda")->info("{}: provisioned concurrency on {} READY ({} environments)", function_.name.value(),
                         configs.front().qualifier, configs.front().available);
}

std::vector<provisioned_info> function_host::provisioned_configs() const {
  if (!provisioned_) return {};
  provisioned_info info;
  info.qualifier = provisioned_->qualifier;
  info.requested = provisioned_->requested;
  info.last_modified = provisioned_->last_modified;
  if (const auto& pc = pool_->settings().provisioned) {
    for (const auto& e : pool_->environments()) {
      if (e.init_type != lam::initialization_type::provisioned_concurrency || e.retiring || e.version != pc->version)
        continue;
      ++info.allocated;
      if (e.state != lam::environment_state::initializing) ++info.available;
    }
  }
  if (pool_->provisioned_failed()) {
    info.status = "FAILED";
    info.status_reason = "FUNCTION_ERROR_INIT_FAILURE";
  } else {
    info.status = info.available >= info.requested ? "READY" : "IN_PROGRESS";
  }
  return {info};
}

api_result<event_invoke_info> function_host::put_event_invoke_config(const std::string& qualifier,
                                                                     const event_invoke_update& u) {
  const std::string q = qualifier.empty() ? "$LATEST" : qualifier;
  if (!versions_.resolve(q)) return api_error{errc::resource_not_found, "Function not found: " + arn(q)};
  auto& e = function_.event_invoke;
  e.max_retry_attempts = u.max_retry_attempts.value_or(2);
  e.max_event_age = seconds(u.max_event_age_seconds.value_or(21600));
  const auto destination = [](const std::optional<std::string>& arn_text) -> std::optional<config::destination_config> {
    if (!arn_text || arn_text->empty()) return std::nullopt;
    // arn:<partition>:<service>:… → SQS, SNS, Lambda, EventBridge (events) or S3Bucket.
    std::string_view rest = *arn_text;
    for (int i = 0; i < 2 && rest.find(':') != std::string_view::npos; ++i) rest.remove_prefix(rest.find(':') + 1);
    const auto service = rest.substr(0, rest.find(':'));
    const std::string type = service == "sqs"      ? "SQS"
                             : service == "sns"    ? "SNS"
                             : service == "lambda" ? "Lambda"
                             : service == "events" ? "EventBridge"
                                                   : "S3Bucket";
    return config::destination_config{type, *arn_text, std::nullopt};
  };
  e.on_success = destination(u.on_success);
  e.on_failure = destination(u.on_failure);
  (void)pool_->set_retry_policy(static_cast<std::uint32_t>(e.max_retry_attempts), e.max_event_age);
  event_invoke_qualifier_ = q;
  event_invoke_configured_ = true;
  event_invoke_modified_ = static_cast<double>(wall_now_ms()) / 1000.0;
  logger("lambda")->info("{}: async invocation: {} retries, maximum event age {} s", function_.name.value(),
                         e.max_retry_attempts, std::chrono::duration_cast<seconds>(e.max_event_age).count());
  return *event_invoke_config(q);
}

api_result<event_invoke_info> function_host::event_invoke_config(const std::string& qualifier) const {
  const std::string q = qualifier.empty() ? "$LATEST" : qualifier;
  if (!versions_.resolve(q)) return api_error{errc::resource_not_found, "Function not found: " + arn(q)};
  if (!event_invoke_configured_)
    return api_error{errc::resource_not_found,
                     "The function " + arn(q) + " doesn't have an EventInvokeConfig"};
  event_invoke_info info;
  info.function_arn = arn(event_invoke_qualifier_);
  info.max_retry_attempts = function_.event_invoke.max_retry_attempts;
  info.max_event_age_seconds = static_cast<int>(std::chrono::duration_cast<seconds>(function_.event_invoke.max_event_age).count());
  if (function_.event_invoke.on_success) info.on_success = function_.event_invoke.on_success->arn;
  if (function_.event_invoke.on_failure) info.on_failure = function_.event_invoke.on_failure->arn;
  info.last_modified = event_invoke_modified_;
  return info;
}

api_result<bool> function_host::delete_event_invoke_config(const std::string& qualifier) {
  auto current = event_invoke_config(qualifier);
  if (!current) return current.error();
  function_.event_invoke = config::event_invoke_config{};
  (void)pool_->set_retry_policy(2, hours(6));
  event_invoke_configured_ = false;
  logger("lambda")->info("{}: async invocation settings back to the defaults", function_.name.value());
  return true;
}

}  // namespace lambkin::io::lambda
