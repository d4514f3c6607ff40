// policy_bench: what AWS IoT policy enforcement costs the broker core's hot path (issue 11).
// One device publishes QoS 0 readings that one subscriber receives, through the pure broker core
// (no sockets): without an authorizer (the floor), and with both clients authenticated by a
// certificate whose policy (5 statements, policy variables, an explicit Deny) is checked on every
// PUBLISH (iot:Publish) and delivery (iot:Receive) — on 1,000 rotating topics, so the
// per-connection decision cache is what is measured after the first round. Blocks alternate
// between the rows; medians are reported with the ratio to the floor.
#include "emulator/core/iot_policy/policy_store.hpp"
#include "emulator/core/mqtt/broker.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace {

using wall = std::chrono::steady_clock;  // benchmarks measure real time
namespace mq = lambkin::mqtt;

const char* policy = R"({"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:us-east-1:123456789012:client/${iot:ClientId}"},
  {"Effect":"Allow","Action":["iot:Publish","iot:Receive"],"Resource":"arn:aws:iot:us-east-1:123456789012:topic/things/*"},
  {"Effect":"Allow","Action":"iot:Subscribe","Resource":"arn:aws:iot:us-east-1:123456789012:topicfilter/things/*"},
  {"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:us-east-1:123456789012:topic/clients/${iot:ClientId}/*"},
  {"Effect":"Deny","Action":"iot:*","Resource":"arn:aws:iot:us-east-1:123456789012:topic/things/*/secret"}]})";

struct setup {
  std::unique_ptr<mq::broker> b = std::make_unique<mq::broker>(mq::profile::aws());
  mq::connection_id publisher{1};
  mq::broker_output_list out;
};

std::unique_ptr<setup> make(bool policies) {
  auto s = std::make_unique<setup>();
  const std::string principal = policies ? "cert-1" : "";
  if (policies) {
    auto store = std::make_shared<lambkin::iot_policy::policy_store>("us-east-1", "123456789012");
    store->add_policy("P", std::get<lambkin::iot_policy::policy_document>(lambkin::iot_policy::parse_policy_document(policy)));
    store->attach_policy("P", principal);
    s->b->set_authorizer(store);
  }
  const lambkin::time_point now{};
  for (std::uint64_t c = 1; c <= 2; ++c) {
    s->b->on_connection_opened(mq::connection_id{c}, mq::connection_info{"127.0.0.1", principal, {}}, now, s->out);
    mq::connect cp;
    cp.version = mq::protocol_version::v311;
    cp.client_id = "dev-" + std::to_string(c);
    cp.clean_start = true;
    cp.keep_alive = 60;
    s->b->on_connection_packet(mq::connection_id{c}, mq::packet{cp}, now, s->out);
  }
  mq::subscribe sub{1, {mq::subscribe_topic{"things/#", mq::subscription_options{mq::qos0}}}, {}};
  s->b->on_connection_packet(mq::connection_id{2}, mq::packet{sub}, now, s->out);
  s->out.clear();
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main() {
  const int blocks = 30, per_block = 20000;
  struct row {
    std::string name;
    std::unique_ptr<setup> s;
    std::vector<double> ns;
    std::size_t sends = 0;
  };
  std::vector<row> rows;
  rows.push_back({"no policies (floor)", make(false), {}, 0});
  rows.push_back({"policy checked", make(true), {}, 0});
  std::vector<std::string> topics;
  for (int i = 0; i < 1000; ++i) topics.push_back("things/dev-" + std::to_string(i) + "/temperature");

  const lambkin::time_point now{};
  for (int block = 0; block < blocks; ++block) {
    for (auto& r : rows) {
      const auto t0 = wall::now();
      for (int i = 0; i < per_block; ++i) {
        r.s->out.clear();
        mq::publish p{topics[static_cast<std::size_t>(i) % topics.size()], mq::shared_bytes(std::string(R"({"t":21.5})")),
                      mq::qos0, false, false, 0, {}};
        r.s->b->on_connection_packet(r.s->publisher, mq::packet{std::move(p)}, now, r.s->out);
        for (const auto& o : r.s->out) r.sends += std::holds_alternative<mq::connection_send>(o) ? 1 : 0;
      }
      r.ns.push_back(std::chrono::duration<double, std::nano>(wall::now() - t0).count() / per_block);
    }
  }
  std::printf("policy_bench: one QoS 0 PUBLISH delivered to one subscriber through the broker core, blocks of %d, "
              "median of %d\n",
              per_block, blocks);
  for (const auto& r : rows)
    std::printf("  %-20s %8.0f ns/message  (%zu deliveries)\n", r.name.c_str(), median(r.ns), r.sends);
  std::printf("  ratio policy / floor: %.2fx\n", median(rows[1].ns) / median(rows[0].ns));
  return 0;
}
