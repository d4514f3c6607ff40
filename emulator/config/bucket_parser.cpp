// AWS::S3::Bucket → bucket_config (and its NotificationConfiguration.LambdaConfigurations), and a
// function's `S3` events → bucket_notification.
#include "emulator/config/resource_parsers.hpp"
#include "emulator/core/s3/notification.hpp"
#include "emulator/core/s3/s3_request.hpp"

#include <algorithm>
#include <cctype>

namespace lambkin::config {
namespace {

const std::vector<std::string> bucket_properties{
    "AbacStatus", "AccelerateConfiguration", "AccessControl", "AnalyticsConfigurations", "BucketEncryption",
    "BucketName", "CorsConfiguration", "IntelligentTieringConfigurations", "InventoryConfigurations",
    "LifecycleConfiguration", "LoggingConfiguration", "MetadataConfiguration", "MetadataTableConfiguration",
    "MetricsConfigurations", "NotificationConfiguration", "ObjectLockConfiguration", "ObjectLockEnabled",
    "OwnershipControls", "PublicAccessBlockConfiguration", "ReplicationConfiguration", "Tags",
    "VersioningConfiguration", "WebsiteConfiguration"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// One event type (`s3:ObjectCreated:*`), checked against the types S3 knows.
bool check_event(const std::string& event, mark at, const std::string& path, parse_context& ctx) {
  const auto& known = lambkin::s3::known_event_types();
  if (std::find(known.begin(), known.end(), event) != known.end()) return true;
  ctx.diags.error(at, path, "unknown S3 event type '" + event + "'" + did_you_mean(event, known));
  return false;
}

}  // namespace

// `Filter: {S3Key: {Rules: [{Name: prefix|suffix, Value: …}]}}` (shared by buckets and SAM events).
void read_s3_key_filter(const property_reader& owner, bucket_notification& n, parse_context& ctx) {
  auto filter = owner.child("Filter");
  if (!filter) return;
  filter->allow({"S3Key"});
  auto key = filter->child("S3Key", true);
  if (!key) return;
  key->allow({"Rules"});
  if (!key->require("Rules")) return;
  const node* rules = key->find("Rules");
  if (!rules) return;
  if (!rules->is_sequence()) {
    ctx.diags.error(rules->at, key->path("Rules"), "must be a list of {Name: prefix|suffix, Value: …}");
    return;
  }
  bool seen_prefix = false, seen_suffix = false;
  for (std::size_t i = 0; i < rules->items.size(); ++i) {
    const property_reader rule(rules->items[i], index_path(key->path("Rules"), i), ctx.diags);
    rule.allow({"Name", "Value"});
    auto name = rule.string("Name", true);
    auto value = rule.string("Value", true);
    if (!name || !value) continue;
    const std::string which = lower(*name);
    bool& seen = which == "prefix" ? seen_prefix : seen_suffix;
    if (which != "prefix" && which != "suffix") {
      ctx.diags.error(rule.find("Name")->at, rule.path("Name"), "must be prefix or suffix, not '" + *name + "'");
    } else if (seen) {
      ctx.diags.error(rule.find("Name")->at, rule.path("Name"), "a filter has at most one " + which + " rule");
    } else {
      seen = true;
      (which == "prefix" ? n.prefix : n.suffix) = *value;
    }
  }
}

void parse_bucket(resource_entry& e, parse_context& ctx) {
  const node resolved = ctx.resolve.resolve_properties(e);
  const property_reader props(resolved, "Resources." + e.logical_id + ".Properties", ctx.diags);
  props.allow(bucket_properties);
  bucket_config b;
  b.logical_id = e.logical_id;
  b.name = ctx.resolve.physical_name(e);
  b.source = ctx.location(e.at);
  if (auto why = lambkin::s3::bucket_name_problem(b.name)) {
    const mark at = props.has("BucketName") ? props.find("BucketName")->at : e.at;
    ctx.diags.error(at, props.has("BucketName") ? props.path("BucketName") : "Resources." + e.logical_id,
                    "'" + b.name + "' is not a valid S3 bucket name: " + *why);
  }
  for (const auto& other : ctx.out.buckets)
    if (other.name == b.name)
      ctx.diags.error(e.at, "Resources." + e.logical_id, "bucket name '" + b.name + "' is already used by " + other.logical_id);
  if (auto config = props.child("NotificationConfiguration")) {
    config->allow({"EventBridgeConfiguration", "LambdaConfigurations", "QueueConfigurations", "TopicConfigurations"});
    for (const char* other : {"EventBridgeConfiguration", "QueueConfigurations", "TopicConfigurations"})
      if (config->has(other)) ctx.diags.warning("ignored: " + e.logical_id + " NotificationConfiguration." + other);
    if (const node* list = config->find("LambdaConfigurations")) {
      if (!list->is_sequence()) {
        ctx.diags.error(list->at, config->path("LambdaConfigurations"), "must be a list");
      } else {
        for (std::size_t i = 0; i < list->items.size(); ++i) {
          const std::string path = index_path(config->path("LambdaConfigurations"), i);
          const property_reader lc(list->items[i], path, ctx.diags);
          lc.allow({"Event", "Filter", "Function"});
          bucket_notification n;
          n.bucket = b.name;
          n.id = e.logical_id + "Notification" + std::to_string(i + 1);
          n.source = ctx.location(list->items[i].at);
          auto event = lc.string("Event", true);
          auto function = lc.string("Function", true);
          if (!event || !function) continue;
          if (!check_event(*event, lc.find("Event")->at, lc.path("Event"), ctx)) continue;
          n.events.push_back(*event);
          if (auto target = ctx.function_for_arn(*function)) {
            n.function = target->first;
            n.qualifier = target->second;
          } else if (ctx.out.find_function(function_name{*function}) ||
                     std::any_of(ctx.resolve.resources().entries().begin(), ctx.resolve.resources().entries().end(),
                                 [&](resource_entry& r) {
                                   return is_function(r.kind) && ctx.resolve.physical_name(r) == *function;
                                 })) {
            n.function = function_name{*function};
          } else {
            ctx.diags.error(lc.find("Function")->at, lc.path("Function"),
                            "must be the ARN of a function of this template (e.g. !GetAtt MyFunction.Arn), not '" +
                                *function + "'");
            continue;
          }
          read_s3_key_filter(lc, n, ctx);
          ctx.out.bucket_notifications.push_back(std::move(n));
        }
      }
    }
  }
  ctx.out.buckets.push_back(std::move(b));
}

void s3_event(const function_config& f, const std::string& event, const property_reader& ev, mark at,
              parse_context& ctx) {
  auto p = ev.child("Properties", true);
  if (!p) return;
  p->allow({"Bucket", "Events", "Filter"});
  bucket_notification n;
  n.function = f.name;
  n.qualifier = f.alias;
  n.id = f.logical_id + event;
  n.source = ctx.location(at);
  auto bucket = p->string("Bucket", true);
  if (!p->require("Events")) return;
  if (!bucket) return;
  const bool ours = std::any_of(ctx.resolve.resources().entries().begin(), ctx.resolve.resources().entries().end(),
                                [&](resource_entry& r) {
                                  return r.definition && r.type == "AWS::S3::Bucket" &&
                                         ctx.resolve.physical_name(r) == *bucket;
                                });
  if (!ours) {
    ctx.diags.error(p->find("Bucket")->at, p->path("Bucket"),
                    "must name an AWS::S3::Bucket of this template (e.g. !Ref MyBucket), as SAM requires, not '" +
                        *bucket + "'");
    return;
  }
  n.bucket = *bucket;
  auto events = p->string_list("Events");
  if (!events) return;
  if (events->empty()) {
    ctx.diags.error(p->find("Events")->at, p->path("Events"), "must name at least one S3 event type");
    return;
  }
  for (const auto& e : *events)
    if (!check_event(e, p->find("Events")->at, p->path("Events"), ctx)) return;
  n.events = *events;
  read_s3_key_filter(*p, n, ctx);
  ctx.out.bucket_notifications.push_back(std::move(n));
}

}  // namespace lambkin::config
