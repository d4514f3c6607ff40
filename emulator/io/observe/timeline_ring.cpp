#include "emulator/io/observe/timeline_ring.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <ctime>

namespace lambkin::io::observe {
namespace {

std::string iso_time(std::int64_t us) {
  const std::time_t secs = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%06dZ", static_cast<int>(us % 1000000));
  return std::string(buf, n) + frac;
}

/// `%XX` and `+` decoded.
std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size()) {
      int v = 0;
      const auto r = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      if (r.ec == std::errc() && r.ptr == s.data() + i + 3) {
        out += static_cast<char>(v);
        i += 2;
      } else {
        out += s[i];
      }
    } else {
      out += s[i];
    }
  }
  return out;
}

template <class T>
bool parse_number(std::string_view text, T& out) {
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

}  // namespace

const lifecycle_event& timeline_ring::push(lifecycle_event e) {
  e.seq = next_seq_++;
  if (events_.size() == capacity_) events_.pop_front();
  events_.push_back(std::move(e));
  return events_.back();
}

std::vector<const lifecycle_event*> timeline_ring::query(const timeline_query& q) const {
  std::vector<const lifecycle_event*> out;
  // Sequence numbers are dense: skip straight past `after_seq`.
  std::size_t start = 0;
  if (q.after_seq >= first_seq()) start = static_cast<std::size_t>(std::min<std::uint64_t>(q.after_seq - first_seq() + 1, events_.size()));
  for (std::size_t i = start; i < events_.size(); ++i) {
    const auto& e = events_[i];
    if (e.at_us < q.since_us) continue;
    if (!q.function.empty() && e.function != q.function) continue;
    out.push_back(&e);
  }
  if (out.size() > q.limit) out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(q.limit));
  return out;
}

boost::json::object to_json(const lifecycle_event& e) {
  boost::json::object o;
  o["seq"] = e.seq;
  o["t_us"] = e.at_us;
  o["time"] = iso_time(e.at_us);
  o["function"] = e.function;
  o["event"] = to_string(e.kind);
  if (e.env != 0) o["env"] = e.env;
  if (!e.request_id.empty()) o["request_id"] = e.request_id;
  if (!e.detail.empty()) o["detail"] = e.detail;
  if (e.duration_ms >= 0) o["duration_ms"] = e.duration_ms;
  if (e.kind == event_kind::invoke_start || e.kind == event_kind::invoke_end) o["cold"] = e.cold;
  if (!e.version.empty()) o["version"] = e.version;
  return o;
}

std::string timeline_json(const timeline_ring& ring, const timeline_query& q) {
  boost::json::array events;
  for (const auto* e : ring.query(q)) events.push_back(to_json(*e));
  boost::json::object o;
  o["events"] = std::move(events);
  o["first_seq"] = ring.first_seq();
  o["last_seq"] = ring.last_seq();
  o["now_us"] = wall_now_us();
  return boost::json::serialize(o);
}

std::optional<timeline_query> parse_timeline_query(std::string_view qs, std::string& error) {
  timeline_query q;
  while (!qs.empty()) {
    const auto amp = qs.find('&');
    const auto pair = qs.substr(0, amp);
    qs = amp == std::string_view::npos ? std::string_view() : qs.substr(amp + 1);
    const auto eq = pair.find('=');
    const auto key = pair.substr(0, eq);
    const auto value = url_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (key == "function") {
      q.function = value;
    } else if (key == "since") {
      // Unix epoch milliseconds, fractions allowed.
      double ms = 0;
      if (!parse_number(value, ms) || ms < 0) {
        error = "since must be Unix epoch milliseconds, got '" + value + "'";
        return std::nullopt;
      }
      q.since_us = static_cast<std::int64_t>(ms * 1000.0);
    } else if (key == "after") {
      if (!parse_number(value, q.after_seq)) {
        error = "after must be a sequence number, got '" + value + "'";
        return std::nullopt;
      }
    } else if (key == "limit") {
      if (!parse_number(value, q.limit) || q.limit == 0) {
        error = "limit must be a positive number, got '" + value + "'";
        return std::nullopt;
      }
    }
  }
  return q;
}

}  // namespace lambkin::io::observe
