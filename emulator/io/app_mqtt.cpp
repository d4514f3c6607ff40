// lambkin run's MQTT side: its own broker (persistence, IoT policies, TCP, WebSocket and TLS listeners)
// or, with --broker, the bridge to an external one.
#include "emulator/io/app_impl.hpp"

namespace lambkin::io {
namespace net = boost::asio;

bool app::impl::start_mqtt() {
  auto& o = options;
  auto log = logger("lambkin");
  const auto profile = mqtt::profile_named(o.mqtt_profile);
  if (!profile) {
    log->error("--mqtt-profile {}: expected aws or standard", o.mqtt_profile);
    return false;
  }
  if (!o.broker.empty()) {  // bridge mode: no MQTT listener of our own
    std::string why;
    auto target = mqtt::parse_broker_url(o.broker, why);
    if (!target) {
      log->error("--broker {}: {}", o.broker, why);
      return false;
    }
    if (!o.tls_cert.empty())
      log->warn("--tls-cert/--tls-key/--tls-ca are ignored with --broker: lambkin serves no MQTT itself");
    mqtt::bridge_options bo;
    bo.ca_file = o.broker_ca;
    bridge = std::make_unique<mqtt::mqtt_bridge>(ioc.get_executor(), *profile, std::move(*target), bo);
    broker = bridge.get();
    services.broker = broker;
  } else {
    mqtt = std::make_unique<mqtt::mqtt_server>(ioc.get_executor(), *profile, o.bind, o.mqtt_port);
    if (auto mec = mqtt->listen()) {
      log->error("MQTT: cannot listen on {}:{}: {}", o.bind, o.mqtt_port, mec.message());
      return false;
    }
    {  // retained messages of an earlier run; from now on every change is stored
      retained = std::make_unique<mqtt::retained_persistence>(mqtt->broker(), *async_store);
      const auto restored = retained->restore(lambkin::clock::now(), wall_ms());
      if (restored > 0) log->info("restored {} retained MQTT messages", restored);
      // persistent sessions of an earlier run (subscriptions, queued and in-flight QoS 1/2 messages)
      sessions = std::make_unique<mqtt::session_persistence>(ioc.get_executor(), mqtt->broker(), *async_store, wall_ms);
      mqtt::core::broker_output_list out;
      const auto counts = sessions->restore(lambkin::clock::now(), out);
      mqtt->execute_outputs(out);
      if (counts.restored > 0 || counts.expired > 0)
        log->info("restored {} persistent MQTT sessions ({} expired while lambkin was stopped)", counts.restored,
                  counts.expired);
      auto* stored_retained = retained.get();
      auto* persistent = sessions.get();
      mqtt->set_after_input([stored_retained, persistent] {
        stored_retained->sync(lambkin::clock::now(), wall_ms());
        persistent->sync();
      });
    }
    if (o.tmpl)
      if (auto policies = mqtt::make_policy_store(*o.tmpl, o.require_auth)) {
        mqtt->broker().set_authorizer(policies);
        log->info("AWS IoT policies: {} enforced on client-certificate connections{}", o.tmpl->iot_policies.size(),
                  o.require_auth ? "; --require-auth: connections without one are refused" : "");
      }
    mqtt->start();
    log->info("MQTT broker ({} profile) listening on mqtt://{}:{}", o.mqtt_profile, o.bind, mqtt->port());
    services.mqtt = mqtt.get();
    broker = mqtt.get();
    services.broker = broker;
    mqtt_ws = std::make_unique<mqtt::mqtt_ws_listener>(ioc.get_executor(), *mqtt, o.bind, o.ws_port);
    if (auto wec = mqtt_ws->listen()) {
      log->error("MQTT over WebSocket: cannot listen on {}:{}: {}", o.bind, o.ws_port, wec.message());
      return false;
    }
    mqtt_ws->start();
    log->info("MQTT over WebSocket listening on ws://{}:{}/mqtt", o.bind, mqtt_ws->port());
    if (!o.tls_cert.empty() && !o.tls_key.empty() && !o.tls_ca.empty()) {
      mqtt_tls = std::make_unique<mqtt::mqtt_tls_listener>(ioc.get_executor(), *mqtt, o.bind, o.tls_port,
                                                           mqtt::tls_files{o.tls_cert, o.tls_key, o.tls_ca});
      if (auto err = mqtt_tls->load()) {
        log->error("MQTT over TLS: {}", *err);
        return false;
      }
      if (auto tec = mqtt_tls->listen()) {
        log->error("MQTT over TLS: cannot listen on {}:{}: {}", o.bind, o.tls_port, tec.message());
        return false;
      }
      mqtt_tls->start();
      log->info("MQTT over TLS (client certificates) listening on mqtts://{}:{}", o.bind, mqtt_tls->port());
    }
  }

  return true;
}

}  // namespace lambkin::io
