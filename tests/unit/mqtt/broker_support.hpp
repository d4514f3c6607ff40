#pragma once
// A fake shell for broker tests: clients whose packets really cross the wire format (encoded by
// the client's version, decoded by a per-connection server decoder, and back), a timer table
// fired in deadline order by `advance`, and the rule/listener outputs collected. No sockets,
// no threads, no sleeps: time moves with the fake clock.
#include "emulator/core/mqtt/broker.hpp"
#include "emulator/core/mqtt/decoder.hpp"
#include "emulator/core/mqtt/encoder.hpp"
#include "lambkin/fake_clock.hpp"

#include "session_support.hpp"

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lambkin::mqtt::testing {

struct wire_client {
  protocol_version version = protocol_version::v5;
  decoder server_side;  // what the shell runs for this connection
  decoder client_side;  // what the client runs
  std::vector<packet> inbox;
  bool closed = false;
  std::optional<connection_close> close;
};

class broker_harness {
 public:
  explicit broker_harness(profile p = {}) : b(std::move(p)) { b.set_wall_clock(clock.now(), 1'700'000'000'000); }

  connection_id open(protocol_version v = protocol_version::v5, std::string ip = "192.0.2.10") {
    const connection_id id{++next_id_};
    auto& c = clients[id.value()];
    c.version = v;
    c.server_side = decoder(decoder_options{b.profile().max_packet_size, std::nullopt});
    c.client_side = decoder(decoder_options{268'435'460, v});
    run([&](auto& out) { b.on_connection_opened(id, connection_info{std::move(ip), "principal-" + std::to_string(id.value()), {}}, clock.now(), out); });
    return id;
  }

  /// Opens a connection and sends CONNECT; returns the connection.
  connection_id connect(const mqtt::connect& c, std::string ip = "192.0.2.10") {
    auto id = open(c.version, std::move(ip));
    send(id, c);
    return id;
  }

  void send(connection_id id, const packet& p) {
    std::vector<std::uint8_t> bytes;
    REQUIRE_FALSE(encode(p, clients.at(id.value()).version, bytes));
    send_bytes(id, bytes);
  }

  void send_bytes(connection_id id, const std::vector<std::uint8_t>& bytes) {
    auto& c = clients.at(id.value());
    std::span<const std::uint8_t> in(bytes);
    while (!in.empty() && !c.closed) {
      auto r = c.server_side.feed(in);
      if (std::holds_alternative<need_more>(r)) break;
      if (auto* e = std::get_if<decode_error>(&r)) {
        run([&](auto& out) { b.on_connection_error(id, *e, clock.now(), out); });
        break;
      }
      run([&](auto& out) { b.on_connection_packet(id, std::get<packet>(std::move(r)), clock.now(), out); });
    }
  }

  /// The socket closes under the broker (the client vanished).
  void drop(connection_id id) {
    clients.at(id.value()).closed = true;
    run([&](auto& out) { b.on_connection_closed(id, clock.now(), out); });
  }

  /// Moves time forward, firing due timers in deadline order.
  void advance(duration d) {
    const time_point target = clock.now() + d;
    while (true) {
      auto next = timers.end();
      for (auto it = timers.begin(); it != timers.end(); ++it)
        if (it->second <= target && (next == timers.end() || it->second < next->second)) next = it;
      if (next == timers.end()) break;
      clock.set(next->second);
      const timer_id t{next->first};
      timers.erase(next);
      run([&](auto& out) { b.on_timer(t, clock.now(), out); });
    }
    clock.set(target);
  }

  /// Everything the client received since the last take.
  std::vector<packet> take(connection_id id) { return std::exchange(clients.at(id.value()).inbox, {}); }

  template <class T>
  std::vector<T> take_all(connection_id id) {
    std::vector<T> found;
    for (auto& p : take(id))
      if (auto* t = std::get_if<T>(&p)) found.push_back(std::move(*t));
    return found;
  }

  bool closed(connection_id id) const { return clients.at(id.value()).closed; }
  const wire_client& client(connection_id id) const { return clients.at(id.value()); }

  template <class F>
  void run(F&& f) {
    broker_output_list out;
    f(out);
    process(out);
  }

  void process(broker_output_list& out) {
    for (auto& o : out) {
      if (auto* s = std::get_if<connection_send>(&o)) {
        auto& c = clients.at(s->connection.value());
        REQUIRE_MESSAGE(!c.closed, "a packet for a closed connection");
        CHECK(s->version == c.version);
        std::vector<std::uint8_t> bytes;
        REQUIRE_FALSE(encode(s->packet, s->version, bytes));
        std::span<const std::uint8_t> in(bytes);
        auto r = c.client_side.feed(in);
        REQUIRE_MESSAGE(std::holds_alternative<packet>(r), "the client could not decode what the broker sent");
        CHECK(in.empty());
        c.inbox.push_back(std::get<packet>(std::move(r)));
      } else if (auto* cl = std::get_if<connection_close>(&o)) {
        auto& c = clients.at(cl->connection.value());
        c.closed = true;
        c.close = *cl;
        closes.push_back(*cl);
      } else if (auto* a = std::get_if<timer_arm>(&o)) {
        timers[a->timer.value()] = a->deadline;
      } else if (auto* x = std::get_if<timer_cancel>(&o)) {
        timers.erase(x->timer.value());
      } else if (auto* ri = std::get_if<rule_ingest>(&o)) {
        ingested.push_back(*ri);
      } else if (auto* lm = std::get_if<listener_message>(&o)) {
        heard.push_back(*lm);
      } else if (auto* d = std::get_if<authorization_denied>(&o)) {
        denied.push_back(*d);
      }
    }
  }

  fake_clock clock;
  broker b;
  std::map<std::uint64_t, wire_client> clients;
  std::map<std::uint64_t, time_point> timers;
  std::vector<connection_close> closes;
  std::vector<rule_ingest> ingested;
  std::vector<listener_message> heard;
  std::vector<authorization_denied> denied;

 private:
  std::uint64_t next_id_ = 0;
};

inline subscribe sub_packet(std::uint16_t id, std::string filter, qos_level q = qos1, bool no_local = false,
                            bool rap = false, retain_handling rh = retain_handling::send_on_subscribe) {
  return subscribe{id, {subscribe_topic{std::move(filter), subscription_options{q, no_local, rap, rh}}}, {}};
}

inline publish pub_packet(std::string topic, std::string payload, qos_level q = qos0, std::uint16_t id = 0,
                          bool retain = false) {
  return publish{std::move(topic), std::move(payload), q, retain, false, id, {}};
}

}  // namespace lambkin::mqtt::testing
