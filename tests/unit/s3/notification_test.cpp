#include "emulator/core/s3/notification.hpp"

#include <doctest/doctest.h>

using namespace lambkin::s3;

TEST_CASE("event type patterns match by prefix with :* and exactly otherwise") {
  CHECK(event_type_matches("s3:ObjectCreated:*", "ObjectCreated:Put"));
  CHECK(event_type_matches("s3:ObjectCreated:*", "ObjectCreated:CompleteMultipartUpload"));
  CHECK_FALSE(event_type_matches("s3:ObjectCreated:*", "ObjectRemoved:Delete"));
  CHECK(event_type_matches("s3:ObjectRemoved:Delete", "ObjectRemoved:Delete"));
  CHECK_FALSE(event_type_matches("s3:ObjectRemoved:Delete", "ObjectRemoved:DeleteMarkerCreated"));
  CHECK_FALSE(event_type_matches("ObjectCreated:Put", "ObjectCreated:Put"));
}

TEST_CASE("prefix and suffix filters both apply, case-sensitively") {
  notification_filter f{{"s3:ObjectCreated:*"}, "uploads/", ".jpg"};
  CHECK(notification_matches(f, "ObjectCreated:Put", "uploads/cat.jpg"));
  CHECK_FALSE(notification_matches(f, "ObjectCreated:Put", "uploads/cat.JPG"));
  CHECK_FALSE(notification_matches(f, "ObjectCreated:Put", "other/cat.jpg"));
  CHECK_FALSE(notification_matches(f, "ObjectRemoved:Delete", "uploads/cat.jpg"));
  notification_filter any{{"s3:ObjectCreated:Copy", "s3:ObjectRemoved:*"}, "", ""};
  CHECK(notification_matches(any, "ObjectRemoved:Delete", "x"));
  CHECK(notification_matches(any, "ObjectCreated:Copy", "x"));
  CHECK_FALSE(notification_matches(any, "ObjectCreated:Put", "x"));
}

TEST_CASE("record keys are URL-encoded with '+' for spaces, sequencers sort as text") {
  CHECK(record_key("red flower.jpg") == "red+flower.jpg");
  CHECK(record_key("dir/a=b&c+d") == "dir/a%3Db%26c%2Bd");
  CHECK(record_key("ü") == "%C3%BC");
  CHECK(sequencer_text(255) == "00000000000000FF");
  CHECK(sequencer_text(0x1234567890ABCDEFull) == "1234567890ABCDEF");
  CHECK(sequencer_text(9) < sequencer_text(10));
}

TEST_CASE("the event document is S3's record for Lambda") {
  object_change c;
  c.event_name = "ObjectCreated:Put";
  c.bucket = "uploads";
  c.key = "in/red flower.jpg";
  c.size = 1305107;
  c.etag = "b21b84d653bb07b05b1e6b33684dc11b";
  c.sequencer = "0000000000000001";
  c.event_time = "2019-09-03T19:37:27.192Z";
  c.request_id = "D82B88E5F771F645";
  c.host_id = "host";
  c.source_ip = "127.0.0.1";
  const auto doc = event_document(c, {"us-east-1", "123456789012", "Thumbnails"});
  CHECK(doc ==
        R"({"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",)"
        R"("eventTime":"2019-09-03T19:37:27.192Z","eventName":"ObjectCreated:Put",)"
        R"("userIdentity":{"principalId":"AWS:123456789012"},"requestParameters":{"sourceIPAddress":"127.0.0.1"},)"
        R"("responseElements":{"x-amz-request-id":"D82B88E5F771F645","x-amz-id-2":"host"},)"
        R"("s3":{"s3SchemaVersion":"1.0","configurationId":"Thumbnails",)"
        R"("bucket":{"name":"uploads","ownerIdentity":{"principalId":"123456789012"},"arn":"arn:aws:s3:::uploads"},)"
        R"("object":{"key":"in/red+flower.jpg","size":1305107,"eTag":"b21b84d653bb07b05b1e6b33684dc11b",)"
        R"("sequencer":"0000000000000001"}}}]})");
  c.event_name = "ObjectRemoved:Delete";
  const auto removed = event_document(c, {"us-east-1", "123456789012", "Thumbnails"});
  CHECK(removed.find("\"size\"") == std::string::npos);
  CHECK(removed.find("\"eTag\"") == std::string::npos);
  CHECK(removed.find(R"("eventName":"ObjectRemoved:Delete")") != std::string::npos);
}
