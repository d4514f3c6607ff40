// The parts of a function with their own AWS limits: environment, concurrency, async invocation.
#include "emulator/config/resource_parsers.hpp"

#include <algorithm>
#include <array>
#include <regex>

namespace lambkin::config {
namespace {

constexpr std::size_t environment_limit = 4096;  // "4 KB" of keys and values together

// Keys Lambda sets itself and refuses from users (reference/lambda.md §1.6).
bool is_reserved_key(std::string_view key) {
  static constexpr std::array<std::string_view, 12> reserved{
      "_HANDLER",          "_X_AMZN_TRACE_ID",      "AWS_REGION",        "AWS_DEFAULT_REGION",
      "AWS_EXECUTION_ENV", "AWS_ACCESS_KEY_ID",     "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
      "AWS_ACCESS_KEY",    "LAMBDA_TASK_ROOT",      "LAMBDA_RUNTIME_DIR", "TZ"};
  return key.starts_with("AWS_LAMBDA_") || std::find(reserved.begin(), reserved.end(), key) != reserved.end();
}

std::optional<destination_config> read_destination(const property_reader& config, std::string_view key,
                                                   parse_context& ctx) {
  auto d = config.child(key);
  if (!d) return std::nullopt;
  d->allow({"Type", "Destination"});
  auto type = d->one_of("Type", {"SQS", "SNS", "Lambda", "EventBridge", "S3Bucket"}, true);
  if (!type) return std::nullopt;
  destination_config out{*type, {}, {}};
  // SAM creates the queue or topic itself when no Destination is given; the others need one.
  if (*type != "SQS" && *type != "SNS" && !d->require("Destination", "is required for Type " + *type))
    return std::nullopt;
  if (auto arn = d->string("Destination")) out.arn = *arn;
  if (*type == "Lambda" && !out.arn.empty())
    if (auto target = ctx.function_for_arn(out.arn)) out.function = target->first;
  return out;
}

}  // namespace

void read_environment(const property_reader& props, function_config& f, parse_context& ctx) {
  auto env = props.child("Environment");
  if (!env) return;
  env->allow({"Variables"});
  auto vars = env->child("Variables");
  if (!vars) return;
  std::size_t total = 0;
  for (const auto& m : vars->map().members) {
    const std::string path = vars->path(m.key);
    if (is_reserved_key(m.key)) {
      ctx.diags.error(m.key_at, path, "'" + m.key + "' is reserved by Lambda and cannot be set");
      continue;
    }
    if (!std::regex_match(m.key, std::regex("[A-Za-z][A-Za-z0-9_]+"))) {
      ctx.diags.error(m.key_at, path, "keys must be two or more letters, digits and underscores, starting with a letter");
      continue;
    }
    auto value = read_string(m.value, path, ctx.diags);
    if (!value) continue;
    total += m.key.size() + value->size();
    f.environment.emplace_back(m.key, std::move(*value));
  }
  if (total > environment_limit)
    ctx.diags.error(env->at("Variables"), env->path("Variables"),
                    "total " + std::to_string(total) + " bytes of keys and values; Lambda allows at most 4 KB (4096 bytes)");
}

void read_concurrency(const property_reader& props, function_config& f, parse_context& ctx) {
  const settings& s = ctx.config;
  const long long max_reserved = std::max(0, s.account_concurrency - s.unreserved_minimum);
  f.reserved_concurrency = props.integer("ReservedConcurrentExecutions", 0, max_reserved);
  if (auto alias = props.string("AutoPublishAlias")) {
    const bool digits = std::all_of(alias->begin(), alias->end(), [](unsigned char c) { return std::isdigit(c); });
    if (digits || !std::regex_match(*alias, std::regex("[A-Za-z0-9_-]{1,128}")))
      ctx.diags.error(props.find("AutoPublishAlias")->at, props.path("AutoPublishAlias"),
                      "must be 1 to 128 letters, digits, hyphens or underscores, and not only digits");
    f.alias = *alias;
  }
  const node* reserved = props.find("ReservedConcurrentExecutions");
  mark claim_at = reserved ? reserved->at : props.at();
  std::string claim_path = props.path("ReservedConcurrentExecutions");
  if (auto pc = props.child("ProvisionedConcurrencyConfig")) {
    pc->allow({"ProvisionedConcurrentExecutions"});
    f.provisioned_concurrency = pc->integer("ProvisionedConcurrentExecutions", 1, max_reserved, true);
    if (!props.has("AutoPublishAlias"))
      ctx.diags.error(props.at("ProvisionedConcurrencyConfig"), props.path("ProvisionedConcurrencyConfig"),
                      "requires AutoPublishAlias (provisioned concurrency applies to an alias, never to $LATEST)");
    if (f.provisioned_concurrency && f.reserved_concurrency && *f.provisioned_concurrency > *f.reserved_concurrency)
      ctx.diags.error(pc->find("ProvisionedConcurrentExecutions")->at, pc->path("ProvisionedConcurrentExecutions"),
                      "is " + std::to_string(*f.provisioned_concurrency) + ", more than ReservedConcurrentExecutions (" +
                          std::to_string(*f.reserved_concurrency) + ")");
    if (!f.reserved_concurrency && f.provisioned_concurrency) {
      claim_at = pc->find("ProvisionedConcurrentExecutions")->at;
      claim_path = pc->path("ProvisionedConcurrentExecutions");
    }
  }
  // Reserved (or provisioned) concurrency is carved out of the account; AWS keeps the unreserved minimum free.
  const long long claim = f.reserved_concurrency.value_or(f.provisioned_concurrency.value_or(0));
  if (claim == 0) return;
  ctx.reserved_total += claim;
  if (ctx.reserved_total > max_reserved)
    ctx.diags.error(claim_at, claim_path,
                    "brings the template's reserved concurrency to " + std::to_string(ctx.reserved_total) +
                        ", more than account_concurrency (" + std::to_string(s.account_concurrency) +
                        ") minus unreserved_minimum (" + std::to_string(s.unreserved_minimum) + ")");
}

void read_event_invoke(const property_reader& props, function_config& f, parse_context& ctx) {
  auto config = props.child("EventInvokeConfig");
  if (!config) return;
  config->allow({"DestinationConfig", "MaximumEventAgeInSeconds", "MaximumRetryAttempts"});
  if (auto v = config->integer("MaximumRetryAttempts", 0, 2)) f.event_invoke.max_retry_attempts = static_cast<int>(*v);
  if (auto v = config->integer("MaximumEventAgeInSeconds", 60, 21600)) f.event_invoke.max_event_age = seconds(*v);
  if (auto destinations = config->child("DestinationConfig")) {
    destinations->allow({"OnSuccess", "OnFailure"});
    f.event_invoke.on_success = read_destination(*destinations, "OnSuccess", ctx);
    f.event_invoke.on_failure = read_destination(*destinations, "OnFailure", ctx);
  }
}

void read_dead_letter(const property_reader& props, function_config& f, bool serverless, parse_context& /*ctx*/) {
  auto dlq = props.child(serverless ? "DeadLetterQueue" : "DeadLetterConfig");
  if (!dlq) return;
  if (serverless) {
    dlq->allow({"Type", "TargetArn"});
    auto type = dlq->one_of("Type", {"SQS", "SNS"}, true);
    auto arn = dlq->string("TargetArn", true);
    if (type && arn) f.dead_letter = dead_letter_config{*type, *arn};
    return;
  }
  dlq->allow({"TargetArn"});
  if (auto arn = dlq->string("TargetArn", true))
    f.dead_letter = dead_letter_config{arn->find(":sns:") != std::string::npos ? "SNS" : "SQS", *arn};
}

}  // namespace lambkin::config
