#pragma once
// What the broker core asks the shell to do. Every `broker` input appends outputs to a
// `broker_output_list`; the shell carries them out in order:
//   - `connection_send`: encode (encoder.hpp, with `version`) and queue on that connection's
//     single writer; unknown (already closed) connections are skipped;
//   - `connection_close`: close after the queued bytes are written, then report nothing more
//     for it (a later `on_connection_closed` is harmless);
//   - `timer_arm` / `timer_cancel`: one timer per id (arming again moves it); when it expires,
//     call `broker::on_timer(id, now)`. Late or cancelled firings are ignored by the core;
//   - `rule_ingest`: a Basic Ingest message for the named rule (never routed to subscribers);
//   - `listener_message`: a message matching an in-process listener's filter (`add_listener`);
//   - `authorization_denied`: a request the authorizer refused (authority.hpp), to log.
#include "emulator/core/mqtt/ids.hpp"
#include "emulator/core/mqtt/message.hpp"
#include "emulator/core/mqtt/packet.hpp"
#include "emulator/core/mqtt/session_command.hpp"
#include "lambkin/clock.hpp"
#include "lambkin/ids.hpp"

#include <string>
#include <system_error>
#include <variant>
#include <vector>

namespace lambkin::mqtt {

/// An in-process subscriber (the rules engine, the IoT Data API), numbered by the broker.
using listener_id = strong_id<struct listener_id_tag, std::uint64_t>;

struct connection_send {
  connection_id connection;
  protocol_version version = protocol_version::v311;
  mqtt::packet packet;
};

struct connection_close {
  connection_id connection;
  disconnect_reason reason = disconnect_reason::client_error;
  std::error_code error;  // for the log line; empty for a client's normal DISCONNECT
  std::string client_id;  // for the log line (the shell keeps no copy); empty before CONNECT
};

struct timer_arm {
  timer_id timer;
  time_point deadline{};
};

struct timer_cancel {
  timer_id timer;
};

/// A PUBLISH to `$aws/rules/<rule>/<topic>`: `msg->topic` is `<topic>` (what the rule's topic()
/// sees), `original_topic` the full one.
struct rule_ingest {
  std::string rule;
  std::string original_topic;
  message_ptr msg;
  /// The publishing client's id and principal; empty for messages published in-process.
  std::string client_id;
  std::string principal;
};

struct listener_message {
  listener_id listener;
  message_ptr msg;
  /// The publishing client's id and principal; empty for messages published in-process.
  std::string client_id;
  std::string principal;
};

/// A request refused by the authorizer (authority.hpp): log it. `client_id` is the client's (or,
/// for a refused CONNECT, the one it asked for); `reason` says why a CONNECT was refused.
struct authorization_denied {
  std::string client_id;
  std::string principal;
  iot_action action = iot_action::publish;
  std::string resource;
  std::string reason;
};

using broker_output = std::variant<connection_send, connection_close, timer_arm, timer_cancel, rule_ingest,
                                   listener_message, authorization_denied>;
using broker_output_list = std::vector<broker_output>;

}  // namespace lambkin::mqtt
