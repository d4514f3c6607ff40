// Topic syntax and matching walk the string level by level with string_views: no allocation,
// no splitting into vectors (the subscription trie does the same on its hot path).
#include "emulator/core/mqtt/topic.hpp"

#include <algorithm>
#include <array>

namespace lambkin::mqtt {
namespace {

/// Yields the levels of a topic or filter: "a//b" → "a", "", "b"; "" → "".
class levels {
 public:
  explicit levels(std::string_view s) noexcept : rest_(s) {}
  bool more() const noexcept { return more_; }
  std::string_view next() noexcept {
    const auto slash = rest_.find('/');
    if (slash == std::string_view::npos) {
      more_ = false;
      return rest_;
    }
    const auto level = rest_.substr(0, slash);
    rest_.remove_prefix(slash + 1);
    return level;
  }

 private:
  std::string_view rest_;
  bool more_ = true;
};

std::error_code validate_plain_filter(std::string_view filter) noexcept {
  if (filter.empty()) return errc::topic_filter_invalid;
  levels it(filter);
  while (it.more()) {
    const auto level = it.next();
    if (level.find('#') != std::string_view::npos && (level != "#" || it.more()))
      return errc::topic_filter_invalid;
    if (level.find('+') != std::string_view::npos && level != "+") return errc::topic_filter_invalid;
  }
  return {};
}

constexpr std::string_view share_prefix = "$share/";
constexpr std::string_view rules_prefix = "$aws/rules/";

/// What the AWS limits do not count: `$aws/rules/<rule>/` or `$share/<group>/`.
std::string_view strip_exempt_prefix(std::string_view topic) noexcept {
  for (auto prefix : {rules_prefix, share_prefix}) {
    if (!topic.starts_with(prefix)) continue;
    const auto end = topic.find('/', prefix.size());
    return end == std::string_view::npos ? std::string_view() : topic.substr(end + 1);
  }
  return topic;
}

/// The second level of an `$aws/…` topic, or nullopt if `topic` is not under `$aws/`.
std::optional<std::string_view> aws_area(std::string_view topic) noexcept {
  constexpr std::string_view aws = "$aws/";
  if (!topic.starts_with(aws)) return std::nullopt;
  const auto rest = topic.substr(aws.size());
  return rest.substr(0, rest.find('/'));
}

}  // namespace

std::error_code validate_topic_name(std::string_view topic) noexcept {
  if (topic.empty() || topic.find_first_of("+#") != std::string_view::npos) return errc::topic_name_invalid;
  return {};
}

std::optional<shared_filter> parse_shared(std::string_view filter) noexcept {
  if (!filter.starts_with(share_prefix)) return std::nullopt;
  const auto rest = filter.substr(share_prefix.size());
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  return shared_filter{rest.substr(0, slash), rest.substr(slash + 1)};
}

std::error_code validate_topic_filter(std::string_view filter) noexcept {
  if (filter.starts_with(share_prefix)) {
    const auto shared = parse_shared(filter);
    if (!shared || shared->group.empty() || shared->group.find_first_of("+#") != std::string_view::npos)
      return errc::topic_filter_invalid;
    return validate_plain_filter(shared->filter);
  }
  return validate_plain_filter(filter);
}

bool has_wildcard(std::string_view filter) noexcept {
  return filter.find_first_of("+#") != std::string_view::npos;
}

bool matches(std::string_view filter, std::string_view topic, const profile& p) noexcept {
  if (topic.starts_with('$') && (filter.starts_with('+') || filter.starts_with('#'))) return false;
  levels f(filter), t(topic);
  while (true) {
    if (!f.more()) return !t.more();
    const auto fl = f.next();
    if (fl == "#") return t.more() || p.hash_matches_parent;  // no level left: `a/#` vs `a`
    if (!t.more()) return false;
    const auto tl = t.next();
    if (fl != "+" && fl != tl) return false;
  }
}

std::error_code check_topic_limits(std::string_view topic, const profile& p, errc on_failure) noexcept {
  const auto counted = strip_exempt_prefix(topic);
  if (counted.size() > p.max_topic_bytes) return on_failure;
  const auto slashes = static_cast<std::size_t>(std::count(counted.begin(), counted.end(), '/'));
  if (slashes > p.max_topic_slashes) return on_failure;
  return {};
}

std::error_code check_payload_size(std::size_t bytes, const profile& p) noexcept {
  return bytes > p.max_payload_bytes ? std::error_code(errc::packet_too_large) : std::error_code();
}

std::error_code check_client_id(std::string_view client_id, const profile& p) noexcept {
  return client_id.size() > p.max_client_id_bytes ? std::error_code(errc::client_id_rejected) : std::error_code();
}

std::error_code check_subscribe_count(std::size_t filters, const profile& p) noexcept {
  return filters > p.max_filters_per_subscribe ? std::error_code(errc::quota_exceeded) : std::error_code();
}

std::optional<basic_ingest_topic> parse_basic_ingest(std::string_view topic) noexcept {
  if (!topic.starts_with(rules_prefix)) return std::nullopt;
  const auto rest = topic.substr(rules_prefix.size());
  const auto slash = rest.find('/');
  const auto rule = rest.substr(0, slash);
  if (rule.empty()) return std::nullopt;
  return basic_ingest_topic{rule, slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1)};
}

bool may_publish(std::string_view topic, const profile& p) noexcept {
  if (!p.aws_reserved_topics || !topic.starts_with('$')) return true;
  const auto area = aws_area(topic);
  if (!area) return false;
  static constexpr std::array<std::string_view, 4> allowed{"things", "rules", "certificates", "provisioning-templates"};
  return std::find(allowed.begin(), allowed.end(), *area) != allowed.end();
}

bool may_subscribe(std::string_view filter, const profile& p) noexcept {
  if (!p.aws_reserved_topics || !filter.starts_with('$')) return true;
  const auto area = aws_area(filter);
  if (!area) return false;
  static constexpr std::array<std::string_view, 6> allowed{"things", "events", "certificates",
                                                           "provisioning-templates", "+", "#"};
  return std::find(allowed.begin(), allowed.end(), *area) != allowed.end();
}

}  // namespace lambkin::mqtt
