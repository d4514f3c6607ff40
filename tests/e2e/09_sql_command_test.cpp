// `lambkin sql`: one AWS IoT SQL statement against one message, from the command line.
#include "support/child_process.hpp"

#include <doctest/doctest.h>

using lambkin::test::lambkin_exe;
using lambkin::test::run;

TEST_CASE("lambkin sql prints the rule's output on one line") {
  auto r = run({lambkin_exe(), "sql", "SELECT temperature, topic(2) AS deviceId FROM 'things/+/temperature'",
                "--topic", "things/dev-1/temperature", "--payload", R"({"temperature":21.5,"humidity":40})"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out == "{\"temperature\":21.5,\"deviceId\":\"dev-1\"}\n");
  CHECK(r.err.empty());
}

TEST_CASE("lambkin sql prints nothing and exits 0 when WHERE is not true") {
  auto r = run({lambkin_exe(), "sql", "SELECT * FROM 'device/+/data' WHERE temperature > 30", "--topic",
                "device/32/data", "--payload", R"({"temperature":20})"});
  CHECK(r.code == 0);
  CHECK(r.out.empty());
}

TEST_CASE("lambkin sql exits 2 with the located error for bad SQL") {
  auto r = run({lambkin_exe(), "sql", "SELECT temperature FORM 'things/+/temperature'", "--topic", "things/a/temperature"});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "error: line 1, column 20: unexpected token 'FORM'\n");
  auto ext = run({lambkin_exe(), "sql", "SELECT aws_lambda('arn', *) AS x FROM 't'", "--topic", "t"});
  CHECK(ext.code == 2);
  CHECK(ext.err == "error: line 1, column 8: function aws_lambda is not emulated by lambkin\n");
  auto version = run({lambkin_exe(), "sql", "SELECT * FROM 't'", "--topic", "t", "--sql-version", "2017"});
  CHECK(version.code == 2);
}

TEST_CASE("lambkin sql: client id, SQL version, Basic Ingest topics, context functions") {
  auto r = run({lambkin_exe(), "sql",
                "SELECT clientid() AS c, sql_version() AS v, topic() AS t, timestamp() > 1600000000000 AS now, "
                "length(newuuid()) AS uuid_len FROM 'device/+/data'",
                "--topic", "$aws/rules/TempRule/device/32/data", "--clientid", "sensor-7", "--sql-version",
                "2015-10-08"});
  INFO(r.err);
  CHECK(r.code == 2);  // length() is 2016-03-23 only
  auto ok = run({lambkin_exe(), "sql",
                 "SELECT clientid() AS c, sql_version() AS v, topic() AS t, timestamp() > 1600000000000 AS now, "
                 "length(newuuid()) AS uuid_len FROM 'device/+/data'",
                 "--topic", "$aws/rules/TempRule/device/32/data", "--clientid", "sensor-7"});
  INFO(ok.err);
  CHECK(ok.code == 0);
  CHECK(ok.out == "{\"c\":\"sensor-7\",\"v\":\"2016-03-23\",\"t\":\"device/32/data\",\"now\":true,\"uuid_len\":36}\n");
}

TEST_CASE("lambkin sql notes a topic its FROM does not match, and handles binary payloads") {
  auto r = run({lambkin_exe(), "sql", "SELECT encode(*, 'base64') AS data FROM 'cam/+/jpeg'", "--topic", "other/topic",
                "--payload", "not json"});
  CHECK(r.code == 0);
  CHECK(r.out == "{\"data\":\"bm90IGpzb24=\"}\n");
  CHECK(r.err.find("does not match FROM 'cam/+/jpeg'") != std::string::npos);
}
