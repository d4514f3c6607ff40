#include "emulator/core/s3/notification.hpp"

#include "emulator/core/http/json_writer.hpp"

namespace lambkin::s3 {

const std::vector<std::string>& known_event_types() {
  static const std::vector<std::string> types{
      "s3:ObjectCreated:*",        "s3:ObjectCreated:Put",      "s3:ObjectCreated:Post",
      "s3:ObjectCreated:Copy",     "s3:ObjectCreated:CompleteMultipartUpload",
      "s3:ObjectRemoved:*",        "s3:ObjectRemoved:Delete",   "s3:ObjectRemoved:DeleteMarkerCreated",
      "s3:ObjectRestore:*",        "s3:ObjectRestore:Post",     "s3:ObjectRestore:Completed",
      "s3:ObjectRestore:Delete",   "s3:ReducedRedundancyLostObject", "s3:Replication:*",
      "s3:Replication:OperationFailedReplication", "s3:Replication:OperationNotTracked",
      "s3:Replication:OperationMissedThreshold",   "s3:Replication:OperationReplicatedAfterThreshold",
      "s3:LifecycleExpiration:*",  "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated",
      "s3:LifecycleTransition",    "s3:IntelligentTiering",     "s3:ObjectTagging:*",
      "s3:ObjectTagging:Put",      "s3:ObjectTagging:Delete",   "s3:ObjectAcl:Put"};
  return types;
}

bool event_type_matches(std::string_view pattern, std::string_view event_name) noexcept {
  if (!pattern.starts_with("s3:")) return false;
  pattern.remove_prefix(3);
  if (pattern.ends_with(":*")) {
    pattern.remove_suffix(1);  // keep the ':'
    return event_name.starts_with(pattern);
  }
  return pattern == event_name;
}

bool notification_matches(const notification_filter& f, std::string_view event_name, std::string_view key) noexcept {
  if (!key.starts_with(f.prefix) || !key.ends_with(f.suffix)) return false;
  for (const auto& e : f.events)
    if (event_type_matches(e, event_name)) return true;
  return false;
}

std::string record_key(std::string_view key) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : key) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '*' || c == '/') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  return out;
}

std::string sequencer_text(std::uint64_t value) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  do {
    out.insert(out.begin(), hex[value & 15]);
    value >>= 4;
  } while (value);
  if (out.size() < 16) out.insert(0, 16 - out.size(), '0');
  return out;
}

std::string event_document(const object_change& c, const record_context& ctx) {
  using lambkin::http::json_writer;
  const bool created = c.event_name.starts_with("ObjectCreated:");
  json_writer object;
  object.string("key", record_key(c.key));
  if (created) {
    object.number("size", static_cast<std::int64_t>(c.size));
    object.string("eTag", c.etag);
  }
  object.string("sequencer", c.sequencer);
  json_writer bucket;
  bucket.string("name", c.bucket);
  bucket.raw("ownerIdentity", json_writer().string("principalId", ctx.account_id).finish());
  bucket.string("arn", "arn:aws:s3:::" + c.bucket);
  json_writer s3;
  s3.string("s3SchemaVersion", "1.0");
  s3.string("configurationId", ctx.configuration_id);
  s3.raw("bucket", bucket.finish());
  s3.raw("object", object.finish());
  json_writer record;
  record.string("eventVersion", "2.1");
  record.string("eventSource", "aws:s3");
  record.string("awsRegion", ctx.region);
  record.string("eventTime", c.event_time);
  record.string("eventName", c.event_name);
  record.raw("userIdentity", json_writer().string("principalId", "AWS:" + ctx.account_id).finish());
  record.raw("requestParameters", json_writer().string("sourceIPAddress", c.source_ip).finish());
  record.raw("responseElements",
             json_writer().string("x-amz-request-id", c.request_id).string("x-amz-id-2", c.host_id).finish());
  record.raw("s3", s3.finish());
  json_writer records(true);
  records.raw("", record.finish());
  return json_writer().raw("Records", records.finish()).finish();
}

}  // namespace lambkin::s3
