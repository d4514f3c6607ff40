#include "emulator/core/s3/etag.hpp"

#include <doctest/doctest.h>

#include <map>

using namespace lambkin::s3;

TEST_CASE("ETags: quoted hex of an MD5, multipart: hex of the MD5 of the part MD5s, dash, count") {
  const std::string digest = *from_hex("d41d8cd98f00b204e9800998ecf8427e");
  CHECK(etag_of_digest(digest) == "\"d41d8cd98f00b204e9800998ecf8427e\"");
  CHECK(multipart_etag(digest, 3) == "\"d41d8cd98f00b204e9800998ecf8427e-3\"");
  CHECK(unquote_etag("\"abc\"") == "abc");
  CHECK(unquote_etag("abc") == "abc");
  CHECK(unquote_etag("&quot;abc&quot;") == "abc");
  CHECK_FALSE(from_hex("abc"));
  CHECK_FALSE(from_hex("zz"));
  std::vector<stored_part> parts{{1, "\"00ff\"", 1}, {2, "\"0a0b\"", 1}};
  CHECK(part_digests(parts) == std::string("\x00\xff\x0a\x0b", 4));
}

TEST_CASE("a completion lists uploaded parts in ascending order, all but the last at least 5 MiB") {
  std::map<int, stored_part> uploaded{{1, {1, "\"aa\"", min_part_size}},
                                      {2, {2, "\"bb\"", min_part_size}},
                                      {3, {3, "\"cc\"", 10}}};
  auto find = [&](int n) -> std::optional<stored_part> {
    auto it = uploaded.find(n);
    if (it == uploaded.end()) return std::nullopt;
    return it->second;
  };
  auto ok = check_completion({{1, "aa"}, {3, "\"cc\""}}, find);
  REQUIRE(std::holds_alternative<std::vector<stored_part>>(ok));
  CHECK(std::get<0>(ok).size() == 2);
  auto code = [&](std::vector<requested_part> r) { return std::get<s3_error>(check_completion(r, find)).code; };
  CHECK(code({{2, "bb"}, {1, "aa"}}) == s3_errc::invalid_part_order);
  CHECK(code({{1, "aa"}, {1, "aa"}}) == s3_errc::invalid_part_order);
  CHECK(code({{1, "wrong"}}) == s3_errc::invalid_part);
  CHECK(code({{4, "dd"}}) == s3_errc::invalid_part);
  CHECK(code({{3, "cc"}, {4, "dd"}}) == s3_errc::invalid_part);
  uploaded[4] = {4, "\"dd\"", 1};
  CHECK(code({{3, "cc"}, {4, "dd"}}) == s3_errc::entity_too_small);
  CHECK(code({}) == s3_errc::malformed_xml);
}

TEST_CASE("the CompleteMultipartUpload body is read, or MalformedXML") {
  auto parts = parse_completion(R"(<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
    <Part><ETag>"aa"</ETag><PartNumber>1</PartNumber></Part>
    <Part><PartNumber>2</PartNumber><ETag>&quot;bb&quot;</ETag></Part></CompleteMultipartUpload>)");
  REQUIRE(std::holds_alternative<std::vector<requested_part>>(parts));
  auto& p = std::get<0>(parts);
  REQUIRE(p.size() == 2);
  CHECK(p[0].number == 1);
  CHECK(p[0].etag == "\"aa\"");
  CHECK(p[1].etag == "\"bb\"");
  CHECK(std::get<s3_error>(parse_completion("<Other/>")).code == s3_errc::malformed_xml);
  CHECK(std::get<s3_error>(parse_completion("<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>a</ETag>"
                                            "</Part></CompleteMultipartUpload>"))
            .code == s3_errc::malformed_xml);
}
