// Every example rule of reference/mqtt-iot.md §2.12 (and the AWS SQL reference's own examples),
// with its documented output.
#include "rules_support.hpp"

#include "emulator/core/rules/substitution_template.hpp"

using namespace lambkin::rules;
using namespace lambkin::rules::test;

TEST_CASE("2.12 example 1: temperature alarm to republish") {
  const std::string sql =
      "SELECT topic(2) AS device_id, temperature, timestamp() AS ts FROM 'device/+/data' WHERE temperature > 30";
  auto stmt = compile(sql, v2016);
  REQUIRE(stmt);
  CHECK(stmt->topic_filter() == "device/+/data");
  CHECK(run(sql, message("device/32/data", R"({"temperature":38,"humidity":80})")) ==
        R"({"device_id":"32","temperature":38,"ts":1700000000000})");
  CHECK(run(sql, message("device/32/data", R"({"temperature":20})")) == no_output);
  auto topic = compile_template("alerts/${topic(2)}/temp", v2016);
  REQUIRE(topic);
  CHECK(render(*topic, message("device/32/data", R"({"temperature":38})")).value() == "alerts/32/temp");
}

TEST_CASE("2.12 example 2: Fahrenheit to Celsius") {
  CHECK(run("SELECT (temperature - 32) * 5 / 9 AS celsius, upper(color) AS my_color FROM 't'",
            R"({"color":"red","temperature":50})") == R"({"celsius":10,"my_color":"RED"})");
}

TEST_CASE("2.12 example 3: flatten weather") {
  CHECK(run("SELECT temperature, humidity, wind.velocity AS wind_velocity, wind.bearing AS wind_bearing "
            "FROM 'device/+/data'",
            R"({"temperature":21.5,"humidity":40,"wind":{"velocity":12.25,"bearing":270}})") ==
        R"({"temperature":21.5,"humidity":40,"wind_velocity":12.25,"wind_bearing":270})");
}

TEST_CASE("2.12 example 4: presence events") {
  const auto sql = "SELECT clientId, eventType, timestamp FROM '$aws/events/presence/+/+'";
  auto stmt = compile(sql, v2016);
  REQUIRE(stmt);
  CHECK(stmt->topic_filter() == "$aws/events/presence/+/+");
  CHECK(run(sql, message("$aws/events/presence/connected/dev-1",
                         R"({"clientId":"dev-1","timestamp":1573002230757,"eventType":"connected","sessionIdentifier":"x"})")) ==
        R"({"clientId":"dev-1","eventType":"connected","timestamp":1573002230757})");
}

TEST_CASE("2.12 example 5: shadow delta") {
  CHECK(run("SELECT topic(3) AS thing, state FROM '$aws/things/+/shadow/update/delta'",
            message("$aws/things/lamp/shadow/update/delta", R"({"version":3,"state":{"on":true}})")) ==
        R"({"thing":"lamp","state":{"on":true}})");
}

TEST_CASE("2.12 example 6: a binary payload passes through SELECT *, templates still work") {
  const std::string jpeg("\xff\xd8\xff\xe0\x00\x10JFIF", 10);
  auto stmt = compile("SELECT * FROM 'cam/+/jpeg'", v2016);
  REQUIRE(stmt);
  auto out = evaluate(*stmt, message("cam/front/jpeg", jpeg));
  CHECK(out.kind == evaluation::outcome::output);
  CHECK(out.binary);
  CHECK(out.payload == jpeg);
  auto key = compile_template("${topic(2)}/${timestamp()}.jpg", v2016);
  REQUIRE(key);
  CHECK(render(*key, message("cam/front/jpeg", jpeg)).value() == "front/1700000000000.jpg");
  auto error_key = compile_template("${replace(topic(), '/', '-')}-${newuuid()}", v2016);
  REQUIRE(error_key);
  CHECK(render(*error_key, message("cam/front/jpeg", jpeg)).value() ==
        "cam-front-jpeg-123e4567-e89b-12d3-a456-426614174000");
}

TEST_CASE("2.12 example 7: Basic Ingest (the shell strips $aws/rules/<rule>/ before evaluating)") {
  CHECK(run("SELECT *, topic(2) AS device FROM 'device/+/data'", message("device/32/data", R"({"t":1})")) ==
        R"({"t":1,"device":"32"})");
}

TEST_CASE("2.12 example 8: nested SELECT over an array") {
  const char* payload = R"({"e":[{"n":"temperature","v":22.5},{"n":"light","v":135}]})";
  CHECK(run("SELECT get((SELECT v FROM e WHERE n = 'temperature'), 0).v AS temperature FROM 'my/topic'", payload) ==
        R"({"temperature":22.5})");
}

TEST_CASE("AWS reference: SELECT clause examples") {
  const char* p = R"({"color":"red", "temperature":50})";
  check_rows({
      {"SELECT * FROM 'a/b'", p, R"({"color":"red","temperature":50})"},
      {"SELECT color FROM 'a/b'", p, R"({"color":"red"})"},
      {"SELECT color AS my_color FROM 'a/b'", p, R"({"my_color":"red"})"},
      {"SELECT color as my_color, temperature as fahrenheit FROM 'a/b'", p, R"({"my_color":"red","fahrenheit":50})"},
      {"SELECT *, 15 as speed FROM 'a/b'", p, R"({"color":"red","temperature":50,"speed":15})"},
      {"SELECT VALUE color FROM 'a/b'", p, R"("red")"},
      {"SELECT color.red as red_value FROM 'a/b'", R"({"color":{"red":255,"green":0,"blue":0}, "temperature":50})",
       R"({"red_value":255})"},
  });
}

TEST_CASE("AWS reference: nested object queries, literals, CASE") {
  const char* sensors = R"({"e":[{"n":"temperature","u":"Cel","t":1234,"v":22.5},)"
                        R"({"n":"light","u":"lm","t":1235,"v":135},{"n":"acidity","u":"pH","t":1235,"v":7}]})";
  check_rows({
      {"SELECT (SELECT VALUE n FROM e) as sensors FROM 'my/topic'", sensors,
       R"({"sensors":["temperature","light","acidity"]})"},
      {"SELECT (SELECT v FROM e WHERE n = 'temperature') as temperature FROM 'my/topic'", sensors,
       R"({"temperature":[{"v":22.5}]})"},
      {"SELECT {'latitude': get(lat_long, 0),'longitude':get(lat_long, 1)} as lat_long FROM 'topic/subtopic'",
       R"({"lat_long": [47.606,-122.332]})", R"({"lat_long":{"latitude":47.606,"longitude":-122.332}})"},
      {"SELECT [lat,long] as lat_long FROM 'topic/subtopic'", R"({"lat": 47.606, "long": -122.332})",
       R"({"lat_long":[47.606,-122.332]})"},
      {"SELECT CASE color WHEN 'green' THEN 'go' WHEN 'yellow' THEN 'caution' WHEN 'red' THEN 'stop' "
       "ELSE 'you are not at a stop light' END as instructions FROM 'a/b'",
       R"({"color":"yellow"})", R"({"instructions":"caution"})"},
  });
}

TEST_CASE("AWS reference: transform() examples") {
  const char* p = R"({"attributes":{"data1":1,"data2":2},"values":[{"a":3},{"b":4},{"c":5}]})";
  check_rows({
      {"select value transform(\"enrichArray\", attributes, values) from 'A/B'", p,
       R"([{"a":3,"data1":1,"data2":2},{"b":4,"data1":1,"data2":2},{"c":5,"data1":1,"data2":2}])"},
      {"select value transform(\"enrichArray\", {\"key\": attributes.data1}, values) from 'A/B'", p,
       R"([{"a":3,"key":1},{"b":4,"key":1},{"c":5,"key":1}])"},
      {"select value transform('enrichArray', (select a, b from data2), (select value c from data2)) from 'A/B'",
       R"({"data1":"example","data2":{"a":"first attribute","b":"second attribute","c":[{"x":{"someInt":5,"someString":"hello"},"y":true},{"x":{"someInt":10,"someString":"world"},"y":false}]}})",
       R"([{"x":{"someInt":5,"someString":"hello"},"y":true,"a":"first attribute","b":"second attribute"},)"
       R"({"x":{"someInt":10,"someString":"world"},"y":false,"a":"first attribute","b":"second attribute"}])"},
  });
}

TEST_CASE("AWS reference: decode() of a base64 JSON field is addressable") {
  CHECK(run(R"(SELECT decode(encoded_temp,"base64").temperature AS temp from 'topic/subtopic')",
            R"({"encoded_temp":"eyAidGVtcGVyYXR1cmUiOiAzMyB9Cg=="})") == R"({"temp":33})");
}

TEST_CASE("AWS reference: a numeric text payload through decode(encode(*))") {
  CHECK(run("SELECT decode(encode(*, 'base64'), 'base64') AS value FROM 'a/b'", "80") == R"({"value":80})");
  CHECK(run("SELECT * FROM 'a/b' WHERE decode(encode(*, 'base64'), 'base64') > 50", "80") == "80");
}

TEST_CASE("2.10: the Lambda tutorial rule") {
  CHECK(run("SELECT cast(topic(2) AS DECIMAL) as device_id, temperature as reported_temperature, "
            "30 as max_temperature, 'arn:aws:sns:us-east-1:123456789012:high_temp' as notify_topic_arn "
            "FROM 'device/+/data' WHERE temperature > 30",
            message("device/32/data", R"({"temperature":38})")) ==
        R"({"device_id":32,"reported_temperature":38,"max_temperature":30,)"
        R"("notify_topic_arn":"arn:aws:sns:us-east-1:123456789012:high_temp"})");
}

TEST_CASE("the temperature pipeline rule of DESIGN.md") {
  CHECK(run("SELECT temperature, topic(2) AS deviceId, timestamp() AS ts FROM 'things/+/temperature'",
            message("things/dev-1/temperature", R"({"temperature":21.5,"humidity":40})")) ==
        R"({"temperature":21.5,"deviceId":"dev-1","ts":1700000000000})");
}
