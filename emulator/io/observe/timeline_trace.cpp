#include "emulator/io/observe/timeline_trace.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <charconv>
#include <map>

namespace lambkin::io::observe {
namespace {
namespace json = boost::json;

std::string_view str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

std::int64_t integer(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
  return 0;
}

sim::stop_reason stop_reason_of(std::string_view s) {
  if (s == "reaped") return sim::stop_reason::reaped;
  if (s == "retired") return sim::stop_reason::retired;
  if (s == "timeout") return sim::stop_reason::timeout;
  if (s == "crashed") return sim::stop_reason::crashed;
  if (s == "out_of_memory") return sim::stop_reason::out_of_memory;
  if (s == "init_failed") return sim::stop_reason::init_failed;
  return sim::stop_reason::shutdown;
}

sim::invoke_outcome invoke_outcome_of(std::string_view s) {
  if (s == "success") return sim::invoke_outcome::success;
  if (s == "timeout") return sim::invoke_outcome::timeout;
  if (s.starts_with("Runtime.")) return sim::invoke_outcome::crashed;
  return sim::invoke_outcome::function_error;
}

/// Builds the trace event by event (see the header's mapping).
class builder {
 public:
  explicit builder(std::int64_t t0) : t0_(t0) {}

  time_point at(std::int64_t us) const { return time_point{} + microseconds(std::max<std::int64_t>(0, us - t0_)); }

  void apply(const json::object& e) {
    const auto kind = str(e, "event");
    const auto t = at(integer(e, "t_us"));
    const auto env = static_cast<std::uint64_t>(integer(e, "env"));
    const auto request = std::string(str(e, "request_id"));
    const auto detail = str(e, "detail");
    if (kind == "received") {
      requests_[request] = out_.add_request(t);
    } else if (kind == "throttled") {
      out_.throttle(request_of(request, t), t,
                    detail == "ConcurrentInvocationLimitExceeded" ? errc::throttled_account_concurrency
                                                                  : errc::throttled_reserved_concurrency);
    } else if (kind == "created") {
      const auto version = str(e, "version");
      std::uint32_t number = 0;
      std::from_chars(version.data(), version.data() + version.size(), number);
      lanes_[env] = out_.begin_environment(t, environment_id{env},
                                           detail.starts_with("provisioned") ? sim::init_type::provisioned
                                                                             : sim::init_type::on_demand,
                                           number);
    } else if (kind == "init_start") {
      const auto lane = lane_of(env, t, false);
      if (out_.environments()[lane].open_init == sim::no_index) out_.begin_init(lane, t);
    } else if (kind == "init_end") {
      out_.end_init(lane_of(env, t, false), t,
                    detail == "success"   ? sim::init_outcome::ok
                    : detail == "timeout" ? sim::init_outcome::timeout
                                          : sim::init_outcome::failed);
    } else if (kind == "invoke_start") {
      const auto* cold = e.if_contains("cold");
      out_.begin_invoke(lane_of(env, t, true), request_of(request, t), t, cold && cold->is_bool() && cold->as_bool());
    } else if (kind == "invoke_end") {
      out_.end_invoke(lane_of(env, t, true), t, invoke_outcome_of(detail));
    } else if (kind == "reaped" || kind == "stopped" || kind == "killed") {
      out_.end_environment(lane_of(env, t, true), t, stop_reason_of(detail));
    } else if (kind == "event_done" && (detail == "dlq" || detail == "on-failure")) {
      out_.complete(request_of(request, t), t, sim::request_outcome::dropped);
    }
  }

  sim::trace finish(time_point end) {
    out_.finish(std::max(end, out_.end_time()));
    return std::move(out_);
  }

 private:
  sim::request_index request_of(const std::string& id, time_point t) {
    auto it = requests_.find(id);
    if (it == requests_.end()) it = requests_.emplace(id, out_.add_request(t)).first;
    return it->second;
  }
  /// The lane of `env`; one made up at `t` for an environment created before the window
  /// (initialised already when `warm`).
  sim::env_index lane_of(std::uint64_t env, time_point t, bool warm) {
    auto it = lanes_.find(env);
    if (it != lanes_.end()) return it->second;
    const auto lane = out_.begin_environment(t, environment_id{env}, sim::init_type::on_demand);
    if (warm) out_.end_init(lane, t);
    return lanes_.emplace(env, lane).first->second;
  }

  std::int64_t t0_;
  sim::trace out_;
  std::map<std::string, sim::request_index> requests_;
  std::map<std::uint64_t, sim::env_index> lanes_;
};

}  // namespace

std::optional<timeline_trace> trace_from_timeline(std::string_view text, std::string& error) {
  boost::system::error_code ec;
  auto doc = json::parse(text, ec);
  if (ec || !doc.is_object() || !doc.as_object().contains("events") || !doc.as_object().at("events").is_array()) {
    error = "not a timeline (expected {\"events\":[…]})";
    return std::nullopt;
  }
  const auto& root = doc.as_object();
  const auto& events = root.at("events").as_array();
  std::int64_t t0 = integer(root, "now_us");
  for (const auto& e : events)
    if (e.is_object()) t0 = std::min(t0 == 0 ? integer(e.as_object(), "t_us") : t0, integer(e.as_object(), "t_us"));
  builder b(t0);
  timeline_trace out;
  for (const auto& e : events) {
    if (!e.is_object()) continue;
    const auto& o = e.as_object();
    const auto fn = std::string(str(o, "function"));
    if (std::find(out.functions.begin(), out.functions.end(), fn) == out.functions.end()) out.functions.push_back(fn);
    b.apply(o);
    ++out.events;
  }
  const auto now = integer(root, "now_us");
  out.trace = b.finish(b.at(now == 0 ? t0 : now));
  return out;
}

}  // namespace lambkin::io::observe
