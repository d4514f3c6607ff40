#pragma once
// Test support for the session and broker tests: pick commands of one type out of an output list,
// and small builders for packets and messages.
#include "emulator/core/mqtt/session.hpp"
#include "lambkin/fake_clock.hpp"

#include <doctest/doctest.h>

#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace lambkin::mqtt::testing {

/// All commands of type T, in order (T may also be a packet type: the packets sent).
template <class T, class List>
std::vector<T> all(const List& cmds) {
  std::vector<T> found;
  for (const auto& c : cmds) {
    if constexpr (std::is_constructible_v<packet, T> && !std::is_same_v<T, packet>) {
      if (const auto* s = std::get_if<send_packet>(&c))
        if (const T* t = std::get_if<T>(&s->packet)) found.push_back(*t);
    } else {
      if (const T* t = std::get_if<T>(&c)) found.push_back(*t);
    }
  }
  return found;
}

template <class T, class List>
std::size_t count(const List& cmds) {
  return all<T>(cmds).size();
}

/// The one command (or sent packet) of type T; fails the test if there isn't exactly one.
template <class T, class List>
T one(const List& cmds) {
  const auto found = all<T>(cmds);
  REQUIRE(found.size() == 1);
  return found.front();
}

inline connect make_connect(std::string client_id, protocol_version v = protocol_version::v5,
                            bool clean_start = true, std::uint16_t keep_alive = 60) {
  connect c;
  c.version = v;
  c.client_id = std::move(client_id);
  c.clean_start = clean_start;
  c.keep_alive = keep_alive;
  return c;
}

inline message_ptr msg(std::string topic, std::string payload, qos_level q = qos1, properties props = {},
                       time_point now = {}, bool retain = false) {
  return make_message(std::move(topic), std::move(payload), q, retain, std::move(props), now);
}

/// One session driven by hand at the fake clock's time.
struct session_fixture {
  explicit session_fixture(profile p = {}, std::string client_id = "dev-1")
      : prof(std::move(p)), s(session_handle{1}, std::move(client_id), prof) {}

  session_output connect(const mqtt::connect& c, bool session_present = false, std::string_view assigned = {}) {
    return run([&](auto& out) { s.on_connect(c, assigned, session_present, clock.now(), out); });
  }
  session_output receive(packet p) {
    return run([&](auto& out) { s.on_packet(std::move(p), clock.now(), out); });
  }
  session_output deliver(const message_ptr& m, qos_level max_qos = qos1, bool retain = false) {
    return run([&](auto& out) { s.deliver(m, delivery{max_qos, retain, {}}, clock.now(), out); });
  }
  session_output timer(timer_kind k) {
    return run([&](auto& out) { s.on_timer(k, clock.now(), out); });
  }
  session_output closed() {
    return run([&](auto& out) { s.on_closed(clock.now(), out); });
  }
  template <class F>
  session_output run(F&& f) {
    session_output out;
    f(out);
    return out;
  }

  profile prof;
  fake_clock clock;
  session s;
};

}  // namespace lambkin::mqtt::testing
