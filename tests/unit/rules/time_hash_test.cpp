// parse_time() and time_to_epoch(): Joda/JDK patterns, fixed zones; plus hash edge cases.
#include "rules_support.hpp"

#include "emulator/core/rules/hash.hpp"
#include "emulator/core/rules/time_format.hpp"

using namespace lambkin::rules;
using namespace lambkin::rules::test;

TEST_CASE("parse_time formats epoch milliseconds") {
  check_exprs({
      {"parse_time('yyyy.MM.dd G ''at'' HH:mm:ss z', 100000000)", R"("1970.01.02 AD at 03:46:40 UTC")"},
      {"parse_time(\"yyyy.MM.dd G 'at' HH:mm:ss z\", 100000000, 'UTC-06:00')", R"("1970.01.01 AD at 21:46:40 -06:00")"},
      {"parse_time('yyyy', 1700000000000, 'UTC')", R"("2023")"},
      {"parse_time('yyyy-MM-dd''T''HH:mm:ss.SSSZZ', 1700000000123)", R"("2023-11-14T22:13:20.123+00:00")"},
      {"parse_time('EEE, d MMM yy hh:mm a', 1700000000000)", R"("Tue, 14 Nov 23 10:13 PM")"},
      {"parse_time('EEEE MMMM D', 1700000000000, '+05:30')", R"("Wednesday November 319")"},
      {"parse_time('HH:mm Z', 0, 'GMT+01:00')", R"("01:00 +0100")"},
      {"parse_time('yyyy-MM-dd', -86400000)", R"("1969-12-31")"},
      {"parse_time('yyyy', 0, 'America/Belize')", ""},
      {"parse_time('yyyy qq', 0)", ""},
      {"parse_time('yyyy', 'x')", ""},
  });
}

TEST_CASE("time_to_epoch parses text with a JDK pattern") {
  check_exprs({
      {"time_to_epoch('2020-04-03 09:45:18 UTC+01:00', 'yyyy-MM-dd HH:mm:ss VV')", "1585903518000"},
      {"time_to_epoch('18 December 2015', 'dd MMMM yyyy')", "1450396800000"},
      {"time_to_epoch('2007-12-03 10:15:30.592 UTC', 'yyyy-MM-dd HH:mm:ss.SSS z')", "1196676930592"},
      {"time_to_epoch('2007-12-03 10:15:30.592 America/Los_Angeles', 'yyyy-MM-dd HH:mm:ss.SSS z')", ""},
      {"time_to_epoch('2023-11-14T22:13:20Z', 'yyyy-MM-dd''T''HH:mm:ssX')", "1700000000000"},
      {"time_to_epoch('2023-11-14T23:13:20+0100', 'yyyy-MM-dd''T''HH:mm:ssZ')", "1700000000000"},
      {"time_to_epoch('Nov 14, 2023 10:13:20 PM', 'MMM dd, yyyy hh:mm:ss a')", "1700000000000"},
      {"time_to_epoch('1969-12-31', 'yyyy-MM-dd')", "-86400000"},
      {"time_to_epoch('2023-13-01', 'yyyy-MM-dd')", ""},
      {"time_to_epoch('2023-11-14 trailing', 'yyyy-MM-dd')", ""},
      {"time_to_epoch('abc', 'yyyy')", ""},
  });
}

TEST_CASE("civil date arithmetic round-trips") {
  using namespace lambkin::rules::detail;
  for (std::int64_t days : {-719468LL, -1LL, 0LL, 59LL, 60LL, 11016LL, 19675LL, 2932896LL}) {
    std::int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    CHECK(days_from_civil(y, m, d) == days);
  }
  CHECK(days_from_civil(2000, 3, 1) == 11017);
}

TEST_CASE("hashes of the empty string and of multi-block input") {
  using namespace lambkin::rules::detail;
  CHECK(md2_hex("") == "8350e5a3e24c153df2275c9f80692773");
  CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(sha1_hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string long_text(1000, 'a');
  CHECK(md5_hex(long_text) == "cabe45dcc9ae5b66ba86600cca6b8ba8");
  CHECK(sha1_hex(long_text) == "291e9a6c66994949b57ba5e650361e98fc36b1ba");
  CHECK(sha256_hex(long_text) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
  CHECK(sha512_hex(long_text).substr(0, 16) == "67ba5535a46e3f86");
  CHECK(md2_hex("abc") == "da853b0d3f88d99b30283a69e6ded6bb");
}
