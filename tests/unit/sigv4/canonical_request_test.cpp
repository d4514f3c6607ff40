// core/sigv4's text pieces: URI encoding per service, canonical query and headers, dates.
#include "emulator/core/sigv4/canonical_request.hpp"

#include <doctest/doctest.h>

using namespace lambkin::sigv4;

TEST_CASE("canonical URI: S3 encodes the path once, other services encode it as sent once more") {
  CHECK(canonical_uri("/2015-03-31/functions/arn%3Aaws%3Alambda/invocations", uri_style::standard) ==
        "/2015-03-31/functions/arn%253Aaws%253Alambda/invocations");
  CHECK(canonical_uri("/bucket/a%3Ab%20c", uri_style::s3) == "/bucket/a%3Ab%20c");
  CHECK(canonical_uri("/bucket/a:b!", uri_style::s3) == "/bucket/a%3Ab%21");
  CHECK(canonical_uri("/bucket/dir%2Fkey", uri_style::s3) == "/bucket/dir/key");
  CHECK(canonical_uri("", uri_style::standard) == "/");
  CHECK(canonical_uri("/\xE1\x88\xB4", uri_style::standard) == "/%E1%88%B4");
}

TEST_CASE("canonical query: decoded, re-encoded, sorted by name then value, the signature left out") {
  CHECK(canonical_query("Param2=value2&Param1=value1") == "Param1=value1&Param2=value2");
  CHECK(canonical_query("Param1=value2&Param1=Value1") == "Param1=Value1&Param1=value2");
  CHECK(canonical_query("prefix=a%2Fb&list-type=2&delimiter=%2F") == "delimiter=%2F&list-type=2&prefix=a%2Fb");
  CHECK(canonical_query("uploads") == "uploads=");
  CHECK(canonical_query("a=1&X-Amz-Signature=abc", "X-Amz-Signature") == "a=1");
  CHECK(canonical_query("k=a b+c") == "k=a%20b%2Bc");
}

TEST_CASE("canonical headers: repeated values joined, spaces trimmed and collapsed, missing ones named") {
  header_list h{{"Host", "example.amazonaws.com"}, {"My-Header1", "value4"}, {"my-header1", "  a   b  "}};
  const auto r = canonical_headers(h, {"host", "my-header1"});
  CHECK(r.text == "host:example.amazonaws.com\nmy-header1:value4,a b\n");
  CHECK(r.missing.empty());
  CHECK(canonical_headers(h, {"host", "x-amz-date"}).missing == "x-amz-date");
}

TEST_CASE("amz dates parse to epoch seconds and back, malformed or impossible ones are refused") {
  const auto t = parse_amz_date("20150830T123600Z");
  REQUIRE(t);
  CHECK(*t == 1440938160);
  CHECK(format_amz_date(*t) == "20150830T123600Z");
  CHECK(format_iso8601(*t) == "2015-08-30T12:36:00Z");
  CHECK(parse_amz_date("20240229T000000Z"));
  CHECK_FALSE(parse_amz_date("20230229T000000Z"));
  CHECK_FALSE(parse_amz_date("20150830T123600"));
  CHECK_FALSE(parse_amz_date("2015-08-30T12:36:00Z"));
  CHECK_FALSE(parse_amz_date("20151330T123600Z"));
}
