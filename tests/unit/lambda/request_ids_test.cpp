#include "emulator/core/lambda/request_ids.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace lambkin::lambda;

// splitmix64 with seed 0 draws e220a8397b1dcdaf, 6e789e6aa1b965f4, 06c45d188009454f (random_test.cpp).

TEST_CASE("request ids are version-4 UUIDs in lower-case hex") {
  splitmix64 rng{0};
  CHECK(make_request_id(rng) == "e220a839-7b1d-4daf-ae78-9e6aa1b965f4");

  splitmix64 many{42};
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto id = make_request_id(many);
    REQUIRE(id.size() == 36);
    CHECK(id[8] == '-');
    CHECK(id[13] == '-');
    CHECK(id[14] == '4');
    CHECK(id[18] == '-');
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);
    CHECK(id[23] == '-');
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("the same seed gives the same ids") {
  request_id_generator a{7}, b{7};
  CHECK(a.request_id() == b.request_id());
  CHECK(a.trace_id(1) == b.trace_id(1));
  CHECK(a.log_stream_name(1, "$LATEST") == b.log_stream_name(1, "$LATEST"));
  CHECK(a.request_id() != request_id_generator{8}.request_id());
}

TEST_CASE("trace ids carry the epoch seconds and 24 + 16 random hex digits") {
  splitmix64 rng{0};
  CHECK(make_trace_id(rng, 1700000000999) ==
        "Root=1-6553f100-e220a8397b1dcdafa1b965f4;Parent=06c45d188009454f;Sampled=0");
}

TEST_CASE("log stream names: UTC date, [version], 32 hex digits") {
  splitmix64 rng{0};
  CHECK(make_log_stream_name(rng, 1703635200123, "$LATEST") == "2023/12/27/[$LATEST]e220a8397b1dcdaf6e789e6aa1b965f4");
  splitmix64 rng2{0};
  CHECK(make_log_stream_name(rng2, 1709251199000, "3") == "2024/02/29/[3]e220a8397b1dcdaf6e789e6aa1b965f4");
}
