#include "emulator/core/s3/s3_error.hpp"
#include "emulator/core/s3/xml.hpp"

#include <doctest/doctest.h>

using namespace lambkin::s3;

TEST_CASE("the writer escapes text and closes what it opened") {
  xml_writer w;
  w.open("ListAllMyBucketsResult", "http://s3.amazonaws.com/doc/2006-03-01/").open("Buckets").open("Bucket");
  w.element("Name", "a<b>&\"c'\x01");
  auto doc = w.finish();
  CHECK(doc == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Buckets><Bucket>"
               "<Name>a&lt;b&gt;&amp;&quot;c&apos;&#x1;</Name></Bucket></Buckets></ListAllMyBucketsResult>");
}

TEST_CASE("the reader keeps elements and decoded text, skipping declarations, attributes and comments") {
  auto doc = parse_xml(R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Quiet>true</Quiet>
  <Object><Key>a &amp; b&#x20;&#65;</Key></Object>
  <Object><Key><![CDATA[<raw>]]></Key><VersionId/></Object>
</Delete>)");
  REQUIRE(doc);
  CHECK(doc->name == "Delete");
  CHECK(doc->child("Quiet")->text == "true");
  auto objects = doc->all("Object");
  REQUIRE(objects.size() == 2);
  CHECK(objects[0]->child("Key")->text == "a & b A");
  CHECK(objects[1]->child("Key")->text == "<raw>");
  CHECK(objects[1]->child("VersionId")->text.empty());
  CHECK(doc->child("Missing") == nullptr);
}

TEST_CASE("malformed documents are rejected, not half-read") {
  CHECK_FALSE(parse_xml(""));
  CHECK_FALSE(parse_xml("<a><b></a>"));
  CHECK_FALSE(parse_xml("<a>"));
  CHECK_FALSE(parse_xml("<a>&bogus;</a>"));
  CHECK_FALSE(parse_xml("<a></a><b></b>"));
  CHECK_FALSE(parse_xml("text"));
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "<a>";
  CHECK_FALSE(parse_xml(deep));
}

TEST_CASE("errors carry S3's code, status and resource") {
  CHECK(error_code(s3_errc::no_such_bucket) == "NoSuchBucket");
  CHECK(error_status(s3_errc::no_such_bucket) == 404);
  CHECK(error_status(s3_errc::no_such_key) == 404);
  CHECK(error_status(s3_errc::bucket_already_owned_by_you) == 409);
  CHECK(error_status(s3_errc::bucket_not_empty) == 409);
  CHECK(error_status(s3_errc::invalid_range) == 416);
  CHECK(error_status(s3_errc::malformed_xml) == 400);
  auto doc = error_xml({s3_errc::no_such_key, "The specified key does not exist.", "", "a&b"}, "/b/a&b", "REQ1");
  CHECK(doc.find("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
                 "<Key>a&amp;b</Key><Resource>/b/a&amp;b</Resource><RequestId>REQ1</RequestId></Error>") !=
        std::string::npos);
}
