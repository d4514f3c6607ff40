// `lambkin simulate`: the teaching scenarios from the command line, as a student runs them.
#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <fstream>
#include <sstream>

using lambkin::test::lambkin_exe;
using lambkin::test::run;

namespace {
std::string coldstart(const std::string& name) { return std::string(LAMBKIN_SOURCE_DIR) + "/examples/coldstart/" + name; }

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("simulate simultaneous.yaml --json reports six cold starts on six environments") {
  auto r = run({lambkin_exe(), "simulate", coldstart("simultaneous.yaml"), "--json"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  auto o = boost::json::parse(r.out).as_object();
  for (const char* key : {"invocations", "cold_starts", "warm_starts", "throttled", "environments",
                          "max_concurrency", "latency_p50_ms", "latency_p99_ms"}) {
    CAPTURE(key);
    CHECK(o.contains(key));
  }
  CHECK(o.at("invocations") == 6);
  CHECK(o.at("cold_starts") == 6);
  CHECK(o.at("warm_starts") == 0);
  CHECK(o.at("environments") == 6);
  CHECK(o.at("latency_p50_ms").to_number<double>() == doctest::Approx(350));
}

TEST_CASE("simulate with flags only: six async events with reserved concurrency 1 share one environment") {
  auto r = run({lambkin_exe(), "simulate", "--arrivals", "0,0,0,0,0,0", "--init", "250ms", "--duration", "100ms",
                "--reserved", "1", "--async", "--seed", "7", "--json"});
  REQUIRE(r.code == 0);
  auto o = boost::json::parse(r.out).as_object();
  CHECK(o.at("environments") == 1);
  CHECK(o.at("cold_starts") == 1);
  CHECK(o.at("warm_starts") == 5);
  CHECK(o.at("throttled") == 0);
}

TEST_CASE("simulate prints a summary and an ASCII timeline with one lane per environment") {
  auto r = run({lambkin_exe(), "simulate", coldstart("simultaneous.yaml")});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("Six simultaneous requests") != std::string::npos);
  CHECK(r.out.find("cold 6, warm 0") != std::string::npos);
  CHECK(count(r.out, "\nenv ") == 6);
  CHECK(r.out.find("expected outcome: met") != std::string::npos);
}

TEST_CASE("simulate --svg writes a well-formed chart with six lanes") {
  lambkin::test::temp_dir dir;
  const auto svg = dir.path() / "six.svg";
  auto r = run({lambkin_exe(), "simulate", coldstart("simultaneous.yaml"), "--svg", svg.string()});
  REQUIRE(r.code == 0);
  std::ifstream in(svg);
  std::stringstream text;
  text << in.rdbuf();
  const auto s = text.str();
  CHECK(s.find("<svg") != std::string::npos);
  CHECK(s.find("</svg>") != std::string::npos);
  CHECK(count(s, "class=\"lane\"") == 6);
  if (std::filesystem::exists("/usr/bin/xmllint")) {
    auto lint = run({"/usr/bin/xmllint", "--noout", svg.string()});
    CHECK_MESSAGE(lint.code == 0, lint.err);
  }
}

TEST_CASE("simulate --check fails when the expected outcome is not met, naming file, line and key") {
  lambkin::test::temp_dir dir;
  const auto file = dir.path() / "wrong.yaml";
  std::ofstream(file) << "arrivals: [0, 0]\nexpect:\n  cold_starts: 1\n";
  auto r = run({lambkin_exe(), "simulate", file.string(), "--check"});
  CHECK(r.code == 1);
  CHECK(r.err.find(file.string() + ":3:16: cold_starts: expected 1, got 2") != std::string::npos);
  auto without = run({lambkin_exe(), "simulate", file.string()});
  CHECK(without.code == 0);
  CHECK(without.out.find("expected outcome: NOT met") != std::string::npos);
}

TEST_CASE("simulate rejects bad flags and bad scenario files with clear messages") {
  auto flag = run({lambkin_exe(), "simulate", "--arrivals", "0,0", "--init", "soon"});
  CHECK(flag.code == 1);
  CHECK(flag.err.find("--init soon:") != std::string::npos);

  lambkin::test::temp_dir dir;
  const auto file = dir.path() / "bad.yaml";
  std::ofstream(file) << "arrivals: [0]\nreserved: -3\n";
  auto bad = run({lambkin_exe(), "simulate", file.string()});
  CHECK(bad.code == 1);
  CHECK(bad.err.find(file.string() + ":2:11: reserved:") != std::string::npos);
}
