// rules_match_bench: finding the rules of one message with many rules loaded (issue 6). The rules
// engine makes each enabled rule a broker listener on its FROM filter, so matching is the broker
// core's subscription-trie walk; this measures a broker publish of one reading with 10 rules loaded
// (the floor) and with 10,000, in the same run, blocks rotating between them.
// Target: the cost with 10,000 rules within 2× of the cost with 10.
//
// The rule filters are what a fleet's rules look like: `things/dev-<i>/temperature`,
// `things/+/alerts/<i>`, `fleet/<i>/#`, plus the pipeline's `things/+/temperature`, which matches.
#include "emulator/core/mqtt/broker.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace {

using wall = std::chrono::steady_clock;  // benchmarks measure real time
namespace mq = lambkin::mqtt;

std::unique_ptr<mq::broker> broker_with(std::size_t rules) {
  auto b = std::make_unique<mq::broker>(mq::profile::aws());
  (void)b->add_listener("things/+/temperature");
  for (std::size_t i = 1; i < rules; ++i) {
    const auto n = std::to_string(i);
    const std::string filter = i % 3 == 0   ? "things/dev-" + n + "/temperature"
                               : i % 3 == 1 ? "things/+/alerts/" + n
                                            : "fleet/" + n + "/#";
    (void)b->add_listener(filter);
  }
  return b;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t many = argc > 1 ? std::stoul(argv[1]) : 10000;
  const int blocks = 30, per_block = 20000;
  struct row {
    std::string name;
    std::unique_ptr<mq::broker> b;
    std::vector<double> ns;
    std::size_t matched = 0;
  };
  std::vector<row> rows;
  rows.push_back({"10 rules (floor)", broker_with(10), {}, 0});
  rows.push_back({std::to_string(many) + " rules", broker_with(many), {}, 0});

  const lambkin::time_point now{};
  mq::broker_output_list out;
  for (int block = 0; block < blocks; ++block) {
    for (auto& r : rows) {
      const auto t0 = wall::now();
      for (int i = 0; i < per_block; ++i) {
        out.clear();
        mq::publish_request p;
        p.topic = "things/dev-" + std::to_string(i % 1000 * 3 + 1) + "/temperature";
        p.payload = mq::shared_bytes(std::string(R"({"temperature":21.5})"));
        (void)r.b->publish(std::move(p), now, out);
        r.matched += out.size();
      }
      r.ns.push_back(std::chrono::duration<double, std::nano>(wall::now() - t0).count() / per_block);
    }
  }
  std::printf("rules_match_bench: one publish of a reading through the broker core, blocks of %d, median of %d\n",
              per_block, blocks);
  for (const auto& r : rows)
    std::printf("  %-18s %8.0f ns/message  (%zu rule deliveries)\n", r.name.c_str(), median(r.ns), r.matched);
  const double ratio = median(rows[1].ns) / median(rows[0].ns);
  std::printf("  ratio %zu rules / 10 rules: %.2fx (target <= 2x: %s)\n", many, ratio, ratio <= 2.0 ? "met" : "NOT met");
  return 0;
}
