// Carrying out the broker core's outputs (broker_output.hpp), in order.
#include "emulator/io/mqtt/mqtt_server.hpp"

#include "emulator/io/log.hpp"
#include "lambkin/clock.hpp"

#include <boost/asio/post.hpp>

#include <string_view>
#include <utility>
#include <variant>

namespace lambkin::io::mqtt {
namespace {
std::string_view version_name(core::protocol_version v) { return v == core::protocol_version::v5 ? "5" : "3.1.1"; }
}  // namespace

void mqtt_server::execute(core::broker_output_list& out) {
  // A sink may publish in-process; that call gets its own list, so `out` is never appended to
  // while we walk it.
  for (auto& o : out) {
    if (auto* s = std::get_if<core::connection_send>(&o))
      send(*s);
    else if (auto* c = std::get_if<core::connection_close>(&o))
      close(*c);
    else if (auto* a = std::get_if<core::timer_arm>(&o))
      arm(*a);
    else if (auto* x = std::get_if<core::timer_cancel>(&o))
      cancel(*x);
    else if (auto* r = std::get_if<core::rule_ingest>(&o)) {
      if (rule_sink_) rule_sink_(*r);
    } else if (auto* l = std::get_if<core::listener_message>(&o)) {
      if (listener_sink_) listener_sink_(*l);
    } else if (auto* d = std::get_if<core::authorization_denied>(&o)) {
      if (d->reason.empty())
        logger("mqtt")->warn("not authorized: client_id={} action={} resource={}", d->client_id,
                             core::to_string(d->action), d->resource);
      else
        logger("mqtt")->warn("not authorized: client_id={} action={} resource={} ({})", d->client_id,
                             core::to_string(d->action), d->resource, d->reason);
    }
  }
  out.clear();
  if (after_input_) after_input_();
}

void mqtt_server::send(const core::connection_send& s) {
  const auto* found = connections_.find(s.connection);
  if (found == nullptr) return;
  const auto& shared = *found;
  auto& c = *shared;
  if (const auto* ack = std::get_if<core::connack>(&s.packet); ack && ack->reason == core::reason_code::success) {
    logger("mqtt")->info("connected: client_id={} ip={} mqtt={}", broker_.client_id_of(c.id()), c.remote_ip(),
                         version_name(s.version));
  }
  if (std::holds_alternative<core::publish>(s.packet)) ++traffic_.messages_out;
  switch (c.push(s.packet, s.version, barrier_.failures ? barrier_.failures() : 0)) {
    case connection::push_result::queued:
      start_writer(shared);
      break;
    case connection::push_result::dropped:
      break;
    case connection::push_result::became_blocked:
      start_writer(shared);
      broker_.on_connection_write_blocked(c.id(), clock::now());
      break;
    case connection::push_result::overflow:
      // The core stops sending to a blocked connection long before this; reaching it means the
      // peer has not read for a long while. The reader reports the close to the broker.
      logger("mqtt")->warn("dropping client_id={}: write queue over {} bytes", broker_.client_id_of(c.id()),
                           c.queued_bytes());
      c.abort();
      break;
  }
}

void mqtt_server::close(const core::connection_close& cl) {
  const auto* found = connections_.find(cl.connection);
  if (found == nullptr) return;
  const auto shared = *found;
  auto& c = *shared;
  if (c.close_requested()) return;
  if (cl.error)
    logger("mqtt")->info("disconnected: client_id={} ip={} reason={} error={}", cl.client_id, c.remote_ip(),
                         core::to_string(cl.reason), cl.error.message());
  else
    logger("mqtt")->info("disconnected: client_id={} ip={} reason={}", cl.client_id, c.remote_ip(),
                         core::to_string(cl.reason));
  c.request_close();
  start_writer(shared);
}

void mqtt_server::start_writer(const std::shared_ptr<connection>& c) {
  if (!defer_writers_) {
    c->start_writer(c);
    return;
  }
  if (c->claim_writer()) deferred_writers_.push_back(c);
}

void mqtt_server::flush_writers(unsigned round) {
  // Bounds the wait while readers keep finding frames (many busy publishers).
  constexpr unsigned max_rounds = 16;
  net::post(executor_, [this, alive = alive_, seen = frames_read_, round] {
    if (!*alive) return;
    // Round 0 was posted before the reader asked for its next record; a record the SSL stream had
    // buffered completes after it. Later rounds: a read completed during the turn, so another may follow.
    if ((round == 0 || frames_read_ != seen) && round < max_rounds) {
      flush_writers(round + 1);
      return;
    }
    flush_posted_ = false;
    auto writers = std::move(deferred_writers_);
    deferred_writers_.clear();
    for (const auto& c : writers) c->launch_writer(c);
  });
}

void mqtt_server::arm(const core::timer_arm& a) {
  if (stopped_) return;
  timers_.arm(a.timer.value(), a.deadline);
}

void mqtt_server::cancel(const core::timer_cancel& x) { timers_.cancel(x.timer.value()); }

}  // namespace lambkin::io::mqtt
