#include "emulator/sim/duration_text.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::sim;
using namespace std::chrono_literals;

TEST_CASE("parse_duration reads every unit, and plain numbers as milliseconds") {
  CHECK(*parse_duration("250ms") == 250ms);
  CHECK(*parse_duration("1.5s") == 1500ms);
  CHECK(*parse_duration("2m") == 120s);
  CHECK(*parse_duration("2min") == 120s);
  CHECK(*parse_duration("3h") == 3h);
  CHECK(*parse_duration("100us") == 100us);
  CHECK(*parse_duration("20ns") == 20ns);
  CHECK(*parse_duration("0") == 0ms);
  CHECK(*parse_duration("250") == 250ms);
  CHECK(*parse_duration("0.5") == 500us);
  CHECK(*parse_duration(" 250 ms ") == 250ms);
}

TEST_CASE("parse_duration rejects what is not a duration, with a message") {
  for (const char* bad : {"", "ms", "fast", "250 parsecs", "1.5.2s", "+5ms", "inf", "nan"}) {
    CAPTURE(bad);
    const auto r = parse_duration(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("expected a duration") != std::string::npos);
  }
  CHECK(parse_duration("-5ms").error().message == "must not be negative, got '-5ms'");
  CHECK_FALSE(parse_duration("20000h"));
}

TEST_CASE("format_duration picks the readable unit and round-trips") {
  CHECK(format_duration(0ms) == "0");
  CHECK(format_duration(100us) == "100us");
  CHECK(format_duration(250ms) == "250ms");
  CHECK(format_duration(1500ms) == "1.5s");
  CHECK(format_duration(90s) == "90s");
  CHECK(format_duration(150s) == "2.5m");
  CHECK(format_duration(3h) == "3h");
  for (auto d : {duration(0), duration(100us), duration(250ms), duration(1500ms), duration(90s), duration(3h)})
    CHECK(*parse_duration(format_duration(d)) == d);
}

TEST_CASE("format_decimal trims zeros") {
  CHECK(format_decimal(350.0) == "350");
  CHECK(format_decimal(0.5) == "0.5");
  CHECK(format_decimal(12.3456) == "12.346");
  CHECK(format_decimal(-0.0) == "0");
  CHECK(format_decimal(1.0 / 0.0) == "0");
}
