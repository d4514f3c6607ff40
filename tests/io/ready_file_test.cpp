#include "emulator/io/ready_file.hpp"

#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <fstream>
#include <sstream>

TEST_CASE("the ready file holds every port (null for absent listeners) and the pid, atomically") {
  lambkin::test::temp_dir dir;
  const auto path = dir.path() / "ready.json";
  lambkin::io::ready_ports ports;
  ports.aws = 4567;
  ports.mqtt = 1884;
  REQUIRE_FALSE(lambkin::io::write_ready_file(path, ports, 4242));
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto o = boost::json::parse(text.str()).as_object();
  CHECK(o.at("aws") == 4567);
  CHECK(o.at("mqtt") == 1884);
  CHECK(o.at("ws").is_null());
  CHECK(o.at("http").is_null());
  CHECK(o.at("pid") == 4242);
  CHECK_FALSE(o.contains("aws_url"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "ready.json.tmp"));
}

TEST_CASE("the ready file has the listeners' URLs when given (https:// with --https-cert)") {
  lambkin::test::temp_dir dir;
  const auto path = dir.path() / "ready.json";
  lambkin::io::ready_ports ports;
  ports.aws = 4567;
  ports.aws_url = "https://127.0.0.1:4567";
  REQUIRE_FALSE(lambkin::io::write_ready_file(path, ports, 1));
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto o = boost::json::parse(text.str()).as_object();
  CHECK(o.at("aws_url") == "https://127.0.0.1:4567");
  CHECK_FALSE(o.contains("http_url"));
}

TEST_CASE("an unwritable ready file is an error, not a crash") {
  lambkin::io::ready_ports ports;
  CHECK(lambkin::io::write_ready_file("/nonexistent-dir/ready.json", ports, 1));
}
