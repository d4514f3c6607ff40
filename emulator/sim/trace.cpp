#include "emulator/sim/trace.hpp"

namespace lambkin::sim {
namespace {

request_outcome outcome_of(invoke_outcome o) {
  return o == invoke_outcome::success ? request_outcome::success : request_outcome::function_error;
}

invoke_outcome invoke_outcome_for(stop_reason reason) {
  if (reason == stop_reason::timeout) return invoke_outcome::timeout;
  if (reason == stop_reason::crashed || reason == stop_reason::out_of_memory) return invoke_outcome::crashed;
  return invoke_outcome::function_error;
}

}  // namespace

void trace::reserve(std::size_t requests, std::size_t environments) {
  requests_.reserve(requests);
  invokes_.reserve(requests);
  lanes_.reserve(environments);
  inits_.reserve(environments);
}

request_index trace::add_request(time_point arrival) {
  see(arrival);
  requests_.push_back(request_record{.arrival = arrival});
  return static_cast<request_index>(requests_.size() - 1);
}

env_index trace::begin_environment(time_point now, environment_id id, init_type type, std::uint32_t version) {
  const auto e = static_cast<env_index>(lanes_.size());
  lanes_.push_back(environment_lane{.id = id, .type = type, .version = version, .created = now});
  by_id_.emplace(id, e);
  begin_init(e, now);
  return e;
}

void trace::begin_init(env_index e, time_point now) {
  see(now);
  environment_lane& lane = lanes_[e];
  if (lane.open_init != no_index) end_init(e, now, init_outcome::failed);
  lane.open_init = static_cast<std::uint32_t>(inits_.size());
  inits_.push_back(init_segment{.start = now, .environment = e});
}

void trace::end_init(env_index e, time_point now, init_outcome outcome) {
  see(now);
  environment_lane& lane = lanes_[e];
  if (lane.open_init == no_index) return;
  inits_[lane.open_init].end = now;
  inits_[lane.open_init].outcome = outcome;
  lane.open_init = no_index;
}

std::uint32_t trace::begin_invoke(env_index e, request_index r, time_point now, bool cold) {
  see(now);
  const auto i = static_cast<std::uint32_t>(invokes_.size());
  invokes_.push_back(invoke_segment{.start = now, .request = r, .environment = e, .cold = cold});
  lanes_[e].open_invoke = i;
  request_record& req = requests_[r];
  if (req.start == never) req.start = now;
  req.environment = e;
  ++req.attempts;
  req.cold = req.cold || cold;
  return i;
}

void trace::end_invoke(env_index e, time_point now, invoke_outcome outcome) {
  see(now);
  environment_lane& lane = lanes_[e];
  if (lane.open_invoke == no_index) return;
  invoke_segment& seg = invokes_[lane.open_invoke];
  seg.end = now;
  seg.outcome = outcome;
  lane.open_invoke = no_index;
  if (outcome == invoke_outcome::running) return;  // cut off by finish(): the request stays open
  request_record& req = requests_[seg.request];
  req.end = now;
  req.outcome = outcome_of(outcome);
}

void trace::throttle(request_index r, time_point now, errc reason) {
  see(now);
  throttles_.push_back(throttle_event{.at = now, .request = r, .reason = reason});
  request_record& req = requests_[r];
  ++req.throttles;
  req.end = now;
  req.outcome = request_outcome::throttled;
}

void trace::complete(request_index r, time_point now, request_outcome outcome) {
  see(now);
  requests_[r].end = now;
  requests_[r].outcome = outcome;
}

void trace::end_environment(env_index e, time_point now, stop_reason reason) {
  see(now);
  environment_lane& lane = lanes_[e];
  if (lane.reason != stop_reason::running) return;
  end_init(e, now, reason == stop_reason::timeout ? init_outcome::timeout : init_outcome::failed);
  end_invoke(e, now, reason == stop_reason::end_of_simulation ? invoke_outcome::running : invoke_outcome_for(reason));
  lane.stopped = now;
  lane.reason = reason;
}

void trace::finish(time_point now) {
  see(now);
  for (env_index e = 0; e < lanes_.size(); ++e) {
    if (lanes_[e].reason != stop_reason::running) continue;
    // An init still running at the end is not a failure: leave its outcome `running`.
    if (lanes_[e].open_init != no_index) {
      inits_[lanes_[e].open_init].end = now;
      lanes_[e].open_init = no_index;
    }
    end_environment(e, now, stop_reason::end_of_simulation);
  }
  finished_ = true;
}

std::optional<env_index> trace::find_environment(environment_id id) const {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

}  // namespace lambkin::sim
