// examples/coldstart/: each teaching scenario carries its expected outcome; the run must meet it.
#include "emulator/sim/expectation.hpp"
#include "emulator/sim/scenario.hpp"
#include "emulator/sim/simulation.hpp"
#include "emulator/sim/summary.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

using namespace lambkin::sim;

namespace {

std::vector<std::filesystem::path> scenario_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(LAMBKIN_SOURCE_DIR) + "/examples/coldstart"))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

summary run_file(const std::string& name) {
  auto s = load_scenario(std::string(LAMBKIN_SOURCE_DIR) + "/examples/coldstart/" + name);
  REQUIRE_MESSAGE(s.has_value(), (s.has_value() ? "" : s.error().to_string()));
  auto t = run_simulation(*s);
  REQUIRE(t.has_value());
  return summarize(*t);
}

}  // namespace

TEST_CASE("every teaching scenario states an expected outcome, and meets it") {
  const auto files = scenario_files();
  CHECK(files.size() >= 9);
  for (const auto& f : files) {
    CAPTURE(f.filename().string());
    auto s = load_scenario(f);
    REQUIRE_MESSAGE(s.has_value(), (s.has_value() ? "" : s.error().to_string()));
    CHECK_FALSE(s->expect.empty());
    CHECK_FALSE(s->description.empty());
    auto t = run_simulation(*s);
    REQUIRE(t.has_value());
    const auto unmet = check_expectations(s->expect, summarize(*t), f.string());
    for (const auto& m : unmet) FAIL_CHECK(m);
  }
}

TEST_CASE("the lecture's scenarios, spelled out") {
  auto simultaneous = run_file("simultaneous.yaml");
  CHECK(simultaneous.cold_starts == 6);
  CHECK(simultaneous.environments == 6);

  auto sequential = run_file("sequential.yaml");
  CHECK(sequential.cold_starts == 1);
  CHECK(sequential.warm_starts == 5);

  auto overlapping = run_file("overlapping.yaml");
  CHECK(overlapping.cold_starts == 2);
  CHECK(overlapping.warm_starts == 4);

  auto async_one = run_file("async_reserved_one.yaml");
  CHECK(async_one.environments == 1);
  CHECK(async_one.cold_starts == 1);
  CHECK(async_one.warm_starts == 5);
  CHECK(async_one.throttled == 0);

  auto sync_one = run_file("sync_reserved_one.yaml");
  CHECK(sync_one.throttled == 5);
}

TEST_CASE("the cold-start rate falls below 1% as the load grows, and provisioned concurrency removes it") {
  const auto low = run_file("load_1rps.yaml");
  const auto mid = run_file("load_20rps.yaml");
  const auto high = run_file("load_100rps.yaml");
  CHECK(low.cold_start_rate > mid.cold_start_rate);
  CHECK(mid.cold_start_rate > high.cold_start_rate);
  CHECK(high.cold_start_rate < 0.01);
  const auto provisioned = run_file("load_20rps_provisioned.yaml");
  CHECK(mid.cold_starts > 0);
  CHECK(provisioned.cold_starts == 0);
  CHECK(provisioned.invocations == mid.invocations);
}
