#include "emulator/core/s3/aws_chunked.hpp"
#include "emulator/core/s3/byte_range.hpp"

#include <doctest/doctest.h>

using namespace lambkin::s3;

TEST_CASE("signed aws-chunked bodies decode to their payload") {
  const std::string body =
      "5;chunk-signature=aaaa\r\nhello\r\n"
      "6;chunk-signature=bbbb\r\n world\r\n"
      "0;chunk-signature=cccc\r\n\r\n";
  auto r = decode_aws_chunked(body, 11);
  REQUIRE(std::holds_alternative<decoded_body>(r));
  CHECK(std::get<decoded_body>(r).payload == "hello world");
  CHECK(std::get<decoded_body>(r).trailers.empty());
}

TEST_CASE("unsigned aws-chunked bodies with trailing checksums keep the trailers") {
  const std::string body = "a\r\n0123456789\r\n0\r\nX-Amz-Checksum-CRC32:AAAAAA==\r\n\r\n";
  auto r = decode_aws_chunked(body, std::nullopt);
  REQUIRE(std::holds_alternative<decoded_body>(r));
  auto& d = std::get<decoded_body>(r);
  CHECK(d.payload == "0123456789");
  REQUIRE(d.trailers.size() == 1);
  CHECK(d.trailers[0].first == "x-amz-checksum-crc32");
  CHECK(d.trailers[0].second == "AAAAAA==");
  // The final empty line is optional in practice.
  CHECK(std::holds_alternative<decoded_body>(decode_aws_chunked("0\r\nx-amz-checksum-crc32:AA==\r\n", 0)));
}

TEST_CASE("broken framing and a wrong decoded length are IncompleteBody") {
  CHECK(std::get<s3_error>(decode_aws_chunked("5\r\nhel", std::nullopt)).code == s3_errc::incomplete_body);
  CHECK(std::get<s3_error>(decode_aws_chunked("zz\r\n", std::nullopt)).code == s3_errc::incomplete_body);
  CHECK(std::get<s3_error>(decode_aws_chunked("5\r\nhelloXX0\r\n\r\n", std::nullopt)).code == s3_errc::incomplete_body);
  CHECK(std::get<s3_error>(decode_aws_chunked("5\r\nhello\r\n0\r\n\r\n", 4)).code == s3_errc::incomplete_body);
  CHECK(std::get<s3_error>(decode_aws_chunked("", std::nullopt)).code == s3_errc::incomplete_body);
}

TEST_CASE("aws-chunked is recognised by the payload hash or the content encoding") {
  CHECK(is_aws_chunked("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", ""));
  CHECK(is_aws_chunked("STREAMING-UNSIGNED-PAYLOAD-TRAILER", ""));
  CHECK(is_aws_chunked("UNSIGNED-PAYLOAD", "gzip, aws-chunked"));
  CHECK_FALSE(is_aws_chunked("UNSIGNED-PAYLOAD", "gzip"));
  CHECK(strip_aws_chunked("aws-chunked") == "");
  CHECK(strip_aws_chunked("aws-chunked,gzip") == "gzip");
}

TEST_CASE("Range: first-last, first-, -suffix, beyond the object is unsatisfiable") {
  auto range = [](std::string_view h, std::uint64_t size) { return std::get<byte_range>(parse_range(h, size)); };
  CHECK(range("bytes=0-4", 10).first == 0);
  CHECK(range("bytes=0-4", 10).length == 5);
  CHECK(range("bytes=8-100", 10).length == 2);
  CHECK(range("bytes=3-", 10).first == 3);
  CHECK(range("bytes=3-", 10).length == 7);
  CHECK(range("bytes=-3", 10).first == 7);
  CHECK(range("bytes=-30", 10).length == 10);
  CHECK(std::holds_alternative<unsatisfiable_range>(parse_range("bytes=10-", 10)));
  CHECK(std::holds_alternative<unsatisfiable_range>(parse_range("bytes=0-1", 0)));
  CHECK(std::holds_alternative<whole_object>(parse_range("", 10)));
  CHECK(std::holds_alternative<whole_object>(parse_range("bytes=5-2", 10)));
  CHECK(std::holds_alternative<whole_object>(parse_range("bytes=0-1,3-4", 10)));
  CHECK(std::holds_alternative<whole_object>(parse_range("items=0-1", 10)));
}
