// Lifecycle events as the broker publishes them: queued like any routed message, from no client.
#include "emulator/core/mqtt/broker.hpp"

#include <utility>

namespace lambkin::mqtt {

void broker::set_wall_clock(time_point at, epoch_ms wall) noexcept {
  wall_at_ = at;
  wall_ms_ = wall;
}

epoch_ms broker::wall(time_point now) const noexcept {
  return wall_ms_ + std::chrono::duration_cast<milliseconds>(now - wall_at_).count();
}

lifecycle_identity broker::identity(const session_entry& e, time_point now) const {
  identifier_ = make_session_identifier(e.s->handle().value());
  return lifecycle_identity{e.s->client_id(), identifier_, principal_of(e), wall(now)};
}

void broker::publish_event(std::string topic, std::string payload, time_point now) {
  work_.push_back(route_work{make_message(std::move(topic), std::move(payload), qos1, false, {}, now), session_handle{}, std::nullopt});
}

}  // namespace lambkin::mqtt
