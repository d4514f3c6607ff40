#pragma once
// S3 event notifications to Lambda: which configured notifications a change matches (event type
// patterns such as `s3:ObjectCreated:*`, key prefix and suffix filters), and the event document
// the function receives (reference/lambda.md §6.4).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lambkin::s3 {

/// One `LambdaConfiguration` of a bucket (or one `S3` event of a function).
struct notification_filter {
  std::vector<std::string> events;  // `s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`, …
  std::string prefix;
  std::string suffix;
};

/// The event types S3 can send to Lambda (for validating templates): `s3:ObjectCreated:*`, …
const std::vector<std::string>& known_event_types();

/// Whether `event_name` (`ObjectCreated:Put`, as in the record) matches the configured `pattern`
/// (`s3:ObjectCreated:*` or `s3:ObjectCreated:Put`).
bool event_type_matches(std::string_view pattern, std::string_view event_name) noexcept;

/// Whether a change (`event_name` on `key`) matches: one of the event patterns, and the key
/// starts with the prefix and ends with the suffix (both case-sensitive).
bool notification_matches(const notification_filter& f, std::string_view event_name, std::string_view key) noexcept;

/// What changed, as the record reports it.
struct object_change {
  std::string event_name;  // `ObjectCreated:Put`, `ObjectRemoved:Delete`, …
  std::string bucket;
  std::string key;         // as stored (the record URL-encodes it)
  std::uint64_t size = 0;  // created objects only
  std::string etag;        // created objects only, without quotes
  std::string sequencer;
  std::string event_time;  // ISO 8601 with milliseconds
  std::string request_id;
  std::string host_id;
  std::string source_ip;
};

struct record_context {
  std::string region;
  std::string account_id;
  std::string configuration_id;
};

/// `{"Records":[{…}]}` as S3 sends it to Lambda.
std::string event_document(const object_change& c, const record_context& ctx);

/// A key as the record carries it: URL-encoded form-style (space → `+`; A-Z a-z 0-9 and
/// `-_.*/` kept; everything else `%XX`).
std::string record_key(std::string_view key);

/// A sequencer: the value as upper-case hex, at least 16 digits, so later changes sort after
/// earlier ones as strings of equal length.
std::string sequencer_text(std::uint64_t value);

}  // namespace lambkin::s3
