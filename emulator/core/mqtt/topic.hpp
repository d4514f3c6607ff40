#pragma once
// Topic names and filters: syntax (MQTT 5 §4.7), matching, shared subscriptions (§4.8.2),
// and the AWS IoT Core limits and reserved-topic rules (reference/mqtt-iot.md §1.7, §1.9, §1.10).
// All functions are pure and allocation-free.
#include "emulator/core/mqtt/profile.hpp"
#include "lambkin/error.hpp"

#include <cstddef>
#include <optional>
#include <string_view>
#include <system_error>

namespace lambkin::mqtt {

/// Spec syntax of a topic name: non-empty, no `+` or `#`. errc::topic_name_invalid otherwise.
/// (UTF-8 validity is the decoder's.)
std::error_code validate_topic_name(std::string_view topic) noexcept;

/// Spec syntax of a topic filter: non-empty; `#` only as the whole last level; `+` only as a
/// whole level; empty levels allowed; `$share/<group>/<filter>` with a non-empty group free of
/// `/`, `+`, `#` and a valid filter. errc::topic_filter_invalid otherwise.
std::error_code validate_topic_filter(std::string_view filter) noexcept;

/// The parts of a shared subscription `$share/<group>/<filter>`.
struct shared_filter {
  std::string_view group;
  std::string_view filter;
};
/// The group and filter if `filter` starts with `$share/` and has both parts; else nullopt.
std::optional<shared_filter> parse_shared(std::string_view filter) noexcept;

/// Whether `filter` (valid, not shared) matches `topic` (valid).
///  - `+` matches one level (also an empty one), `#` any number of trailing levels;
///  - a topic starting with `$` is not matched by a filter starting with `+` or `#`;
///  - `a/#` matches `a` only if `p.hash_matches_parent` (spec yes, AWS no).
bool matches(std::string_view filter, std::string_view topic, const profile& p) noexcept;

/// True if the filter contains `+` or `#`.
bool has_wildcard(std::string_view filter) noexcept;

// ---- profile limits ----

/// Length and depth limits of `p` for a topic name (errc::topic_name_invalid) or filter
/// (errc::topic_filter_invalid), the `$aws/rules/<rule>/` and `$share/<group>/` prefixes not
/// counted (AWS counts neither).
std::error_code check_topic_limits(std::string_view topic, const profile& p, errc on_failure) noexcept;
/// errc::packet_too_large past `p.max_payload_bytes`.
std::error_code check_payload_size(std::size_t bytes, const profile& p) noexcept;
/// errc::client_id_rejected past `p.max_client_id_bytes`.
std::error_code check_client_id(std::string_view client_id, const profile& p) noexcept;
/// errc::quota_exceeded past `p.max_filters_per_subscribe`.
std::error_code check_subscribe_count(std::size_t filters, const profile& p) noexcept;

// ---- AWS reserved topics ($aws/…) ----

/// A Basic Ingest topic `$aws/rules/<rule>[/<topic>]`: the rule's name and the topic the rule
/// sees (what follows the prefix; may be empty).
struct basic_ingest_topic {
  std::string_view rule;
  std::string_view topic;
};
std::optional<basic_ingest_topic> parse_basic_ingest(std::string_view topic) noexcept;

/// Whether a client may publish to `topic` under `p`. With `p.aws_reserved_topics`, `$` topics
/// are reserved: only `$aws/things/…` (shadows, jobs…), `$aws/rules/…` (Basic Ingest),
/// `$aws/certificates/…` and `$aws/provisioning-templates/…` may be published to.
bool may_publish(std::string_view topic, const profile& p) noexcept;
/// Whether a client may subscribe to `filter` (shared prefix removed) under `p`: `$aws/things/…`,
/// `$aws/events/…`, `$aws/certificates/…`, `$aws/provisioning-templates/…` (or a wildcard
/// right after `$aws/`); other `$` filters are refused.
bool may_subscribe(std::string_view filter, const profile& p) noexcept;

}  // namespace lambkin::mqtt
