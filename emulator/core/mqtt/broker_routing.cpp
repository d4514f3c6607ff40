// Executing session commands, and the work they cause: routing messages (fan-out), indexing
// subscriptions with their retained messages, ending sessions.
//
// Session inputs never nest: `translate` turns a session's commands into outputs and queued work
// without calling any session; `drain` then runs the work, which may call sessions (deliver), whose
// commands are translated in turn. The queue keeps fan-out iterative however long the chain
// (a will routed to a session whose queue overflows, whose will is routed…).
#include "emulator/core/mqtt/broker.hpp"

#include "emulator/core/mqtt/topic.hpp"

#include <utility>

namespace lambkin::mqtt {

void broker::apply(session_handle h, time_point now, broker_output_list& out) {
  translate(h, now, out);
  drain(now, out);
}

void broker::translate(session_handle h, time_point now, broker_output_list& out) {
  auto* e = find(h);
  if (e == nullptr) {
    scratch_.clear();
    return;
  }
  if (track_sessions_ && (e->s->tracked() || e->s->session_expiry() != 0)) {
    if (!e->s->tracked()) e->s->set_journal(true);  // what came before is in its first snapshot
    e->s->set_tracked(true);
    changed_sessions_.insert(h);
  }
  std::vector<std::string> subscribed;
  std::vector<std::string> unsubscribed;
  for (auto& cmd : scratch_) {
    if (auto* s = std::get_if<send_packet>(&cmd)) {
      if (e->connection) out.push_back(connection_send{*e->connection, e->s->version(), std::move(s->packet)});
    } else if (auto* a = std::get_if<arm_timer>(&cmd)) {
      out.push_back(timer_arm{session_timer(h, a->kind), a->deadline});
    } else if (auto* c = std::get_if<cancel_timer>(&cmd)) {
      out.push_back(timer_cancel{session_timer(h, c->kind)});
    } else if (auto* cl = std::get_if<close_connection>(&cmd)) {
      if (e->connection) out.push_back(connection_close{*e->connection, cl->reason, cl->error, e->s->client_id()});
      detach(h, cl->reason, now);
    } else if (auto* r = std::get_if<route_message>(&cmd)) {
      work_.push_back(route_work{std::move(r->msg), h, r->puback_after_routing});
    } else if (auto* w = std::get_if<publish_will>(&cmd)) {
      work_.push_back(route_work{std::move(w->msg), h, std::nullopt});
    } else if (auto* add = std::get_if<add_subscription>(&cmd)) {
      subscribed.push_back(add->filter);
      work_.push_back(subscribe_work{h, std::move(*add)});
    } else if (auto* rm = std::get_if<remove_subscription>(&cmd)) {
      trie_.unsubscribe(rm->filter, h);
      unsubscribed.push_back(std::move(rm->filter));
    } else if (std::holds_alternative<session_ended>(cmd)) {
      work_.push_back(end_work{h});
    } else if (auto* d = std::get_if<access_denied>(&cmd)) {
      out.push_back(authorization_denied{std::string(e->s->client_id()), std::string(principal_of(*e)), d->action,
                                         std::move(d->resource), {}});
    }
  }
  scratch_.clear();
  if (profile_.lifecycle_events && has_lifecycle_events(e->s->client_id())) {
    if (!subscribed.empty())
      publish_event(subscription_topic(e->s->client_id(), true),
                    subscription_payload(identity(*e, now), true, subscribed), now);
    if (!unsubscribed.empty())
      publish_event(subscription_topic(e->s->client_id(), false),
                    subscription_payload(identity(*e, now), false, unsubscribed), now);
  }
}

void broker::drain(time_point now, broker_output_list& out) {
  if (draining_) return;  // the outer drain picks up what was queued
  draining_ = true;
  while (!work_.empty()) {
    work w = std::move(work_.front());
    work_.pop_front();
    if (auto* r = std::get_if<route_work>(&w)) {
      const bool matched = route(r->msg, r->publisher, now, out);
      if (r->puback_after_routing) acknowledge(r->publisher, *r->puback_after_routing, matched, out);
    } else if (auto* s = std::get_if<subscribe_work>(&w)) {
      subscribe(*s, now, out);
    } else if (auto* e = std::get_if<end_work>(&w)) {
      end_session(e->session);
    }
  }
  draining_ = false;
}

std::pair<std::string, std::string> broker::publisher_of(session_handle publisher) const {
  const auto it = sessions_.find(publisher);
  if (it == sessions_.end()) return {};
  return {std::string(it->second.s->client_id()), std::string(principal_of(it->second))};
}

bool broker::route(const message_ptr& msg, session_handle publisher, time_point now, broker_output_list& out) {
  if (profile_.aws_reserved_topics) {
    if (auto ingest = parse_basic_ingest(msg->topic)) {  // Basic Ingest: to the rule only
      auto seen = std::make_shared<message>(*msg);
      seen->topic = std::string(ingest->topic);
      auto [client, principal] = publisher_of(publisher);
      out.push_back(rule_ingest{std::string(ingest->rule), msg->topic, std::move(seen), std::move(client),
                                std::move(principal)});
      return true;
    }
  }
  if (msg->retain && !(profile_.aws_reserved_topics && msg->topic.starts_with('$'))) retained_.store(msg, now);

  trie_.match(msg->topic, publisher, match_);
  bool matched = false;
  for (const auto& m : match_.subscribers) {
    if (is_listener(m.session)) {
      auto [client, principal] = publisher_of(publisher);
      out.push_back(listener_message{listener_id{m.session.value() & ~(std::uint64_t{1} << 63)}, msg,
                                     std::move(client), std::move(principal)});
      matched = true;
      continue;
    }
    auto* e = find(m.session);
    if (e == nullptr) continue;
    matched = true;
    const auto ids = match_.identifiers_of(m);
    delivery d{m.qos, m.retain_as_published && msg->retain, std::vector<std::uint32_t>(ids.begin(), ids.end())};
    scratch_.clear();
    e->s->deliver(msg, d, now, scratch_);
    translate(m.session, now, out);
  }
  return matched;
}

void broker::acknowledge(session_handle publisher, std::uint16_t packet_id, bool matched, broker_output_list& out) {
  const auto* e = find(publisher);
  if (e == nullptr || !e->connection) return;  // gone meanwhile: it re-sends the PUBLISH
  const auto code = matched ? reason_code::success : reason_code::no_matching_subscribers;
  out.push_back(connection_send{*e->connection, e->s->version(), puback{packet_id, code, {}}});
}

void broker::subscribe(const subscribe_work& w, time_point now, broker_output_list& out) {
  auto* e = find(w.session);
  if (e == nullptr || e->s->ended()) return;
  const auto& sub = w.sub;
  trie_.subscribe(sub.filter, subscription{w.session, sub.options, sub.identifier});
  // Retained messages: none for shared subscriptions (MQTT 5 §4.8.2), per Retain Handling else.
  if (parse_shared(sub.filter)) return;
  if (sub.options.handling == retain_handling::dont_send) return;
  if (sub.options.handling == retain_handling::send_if_new && !sub.is_new) return;
  retained_scratch_.clear();
  retained_.match(sub.filter, now, retained_scratch_);
  for (const auto& msg : retained_scratch_) {
    delivery d{sub.options.max_qos, true, {}};
    if (sub.identifier != 0) d.subscription_ids.push_back(sub.identifier);
    scratch_.clear();
    e->s->deliver(msg, d, now, scratch_);
    translate(w.session, now, out);
  }
}

void broker::detach(session_handle h, disconnect_reason why, time_point now) {
  auto* e = find(h);
  if (e == nullptr || !e->connection) return;
  connections_.erase(*e->connection);
  e->connection.reset();
  if (profile_.lifecycle_events && has_lifecycle_events(e->s->client_id()))
    publish_event(disconnected_topic(e->s->client_id()), disconnected_payload(identity(*e, now), why, e->s->version_number()),
                  now);
}

void broker::end_session(session_handle h) {
  auto it = sessions_.find(h);
  if (it == sessions_.end()) return;
  for (const auto& [filter, sub] : it->second.s->subscriptions()) trie_.unsubscribe(filter, h);
  if (auto c = by_client_id_.find(it->second.s->client_id()); c != by_client_id_.end() && c->second == h)
    by_client_id_.erase(c);
  if (track_sessions_ && it->second.s->tracked()) {
    changed_sessions_.erase(h);
    ended_sessions_.push_back(it->second.s->client_id());
  }
  if (it->second.connection) connections_.erase(*it->second.connection);
  sessions_.erase(it);
}

}  // namespace lambkin::mqtt
