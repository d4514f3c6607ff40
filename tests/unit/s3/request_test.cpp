#include "emulator/core/s3/s3_request.hpp"

#include <doctest/doctest.h>

using namespace lambkin::s3;

namespace {

s3_request ok(std::string_view method, std::string_view target, std::string_view host = "127.0.0.1:4566",
              bool copy = false) {
  auto r = classify({method, host, target, copy});
  REQUIRE_MESSAGE(std::holds_alternative<s3_request>(r), std::string(target));
  return std::get<s3_request>(r);
}

s3_errc fails(std::string_view method, std::string_view target) {
  auto r = classify({method, "127.0.0.1", target, false});
  REQUIRE(std::holds_alternative<s3_error>(r));
  return std::get<s3_error>(r).code;
}

}  // namespace

TEST_CASE("path-style requests name the bucket in the first segment and the decoded key in the rest") {
  CHECK(ok("GET", "/").op == s3_operation::list_buckets);
  auto r = ok("PUT", "/photos/2024/a%20b%2Bc.jpg?x-id=PutObject");
  CHECK(r.op == s3_operation::put_object);
  CHECK(r.bucket == "photos");
  CHECK(r.key == "2024/a b+c.jpg");
  CHECK(ok("PUT", "/photos").op == s3_operation::create_bucket);
  CHECK(ok("PUT", "/photos/").op == s3_operation::create_bucket);
  CHECK(ok("HEAD", "/photos").op == s3_operation::head_bucket);
  CHECK(ok("DELETE", "/photos").op == s3_operation::delete_bucket);
  CHECK(ok("GET", "/photos?list-type=2&prefix=a").op == s3_operation::list_objects_v2);
  CHECK(ok("GET", "/photos?prefix=a").op == s3_operation::list_objects);
  CHECK(ok("GET", "/photos?location").op == s3_operation::get_bucket_location);
  CHECK(ok("POST", "/photos?delete").op == s3_operation::delete_objects);
  CHECK(ok("GET", "/photos/k").op == s3_operation::get_object);
  CHECK(ok("HEAD", "/photos/k").op == s3_operation::head_object);
  CHECK(ok("DELETE", "/photos/k").op == s3_operation::delete_object);
  CHECK(ok("PUT", "/photos/k", "127.0.0.1", true).op == s3_operation::copy_object);
  // A key may end with '/' ("folders") and contain '//'.
  CHECK(ok("PUT", "/photos/dir/").key == "dir/");
  CHECK(ok("PUT", "/photos/a//b").key == "a//b");
}

TEST_CASE("multipart sub-resources select the upload operations") {
  CHECK(ok("POST", "/b/big?uploads").op == s3_operation::create_multipart_upload);
  auto part = ok("PUT", "/b/big?partNumber=3&uploadId=U1");
  CHECK(part.op == s3_operation::upload_part);
  CHECK(part.param("partNumber") == "3");
  CHECK(part.param("uploadId") == "U1");
  CHECK(ok("POST", "/b/big?uploadId=U1").op == s3_operation::complete_multipart_upload);
  CHECK(ok("DELETE", "/b/big?uploadId=U1").op == s3_operation::abort_multipart_upload);
  CHECK(fails("PUT", "/b/big?partNumber=3") == s3_errc::invalid_request);
}

TEST_CASE("virtual-hosted-style requests take the bucket from the Host") {
  auto r = ok("GET", "/dir/file.txt", "photos.localhost:4566");
  CHECK(r.bucket == "photos");
  CHECK(r.key == "dir/file.txt");
  CHECK(r.op == s3_operation::get_object);
  CHECK(ok("GET", "/?list-type=2", "photos.s3.localhost").op == s3_operation::list_objects_v2);
  CHECK(virtual_host_bucket("PHOTOS.LOCALHOST") == "photos");
  CHECK(virtual_host_bucket("localhost:4566").empty());
  CHECK(virtual_host_bucket("127.0.0.1:4566").empty());
  CHECK(virtual_host_bucket("s3.localhost").empty());
  CHECK(virtual_host_bucket("[::1]:4566").empty());
}

TEST_CASE("what lambkin does not emulate is NotImplemented, not another operation") {
  CHECK(fails("PUT", "/b?versioning") == s3_errc::not_implemented);
  CHECK(fails("GET", "/b/k?tagging") == s3_errc::not_implemented);
  CHECK(fails("GET", "/b?uploads") == s3_errc::not_implemented);
  CHECK(fails("GET", "/b/k?uploadId=U") == s3_errc::not_implemented);
  CHECK(fails("POST", "/b/k") == s3_errc::not_implemented);
  CHECK(fails("PUT", "/") == s3_errc::method_not_allowed);
  CHECK(fails("PATCH", "/b/k") == s3_errc::method_not_allowed);
  CHECK(fails("GET", "/b/%zz") == s3_errc::invalid_argument);
  CHECK(fails("GET", "/b/" + std::string(1025, 'k')) == s3_errc::key_too_long);
  CHECK(error_status(s3_errc::not_implemented) == 501);
}

TEST_CASE("the SigV4 credential scope names the service") {
  CHECK(signed_service("AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, "
                       "SignedHeaders=host, Signature=abc",
                       "") == "s3");
  CHECK(signed_service("AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host",
                       "") == "dynamodb");
  CHECK(signed_service("", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20240101%2Fus-east-1%2Fs3%2Faws4_request") ==
        "s3");
  CHECK(signed_service("AWS test:c2lnbmF0dXJl", "") == "s3");  // SigV2
  CHECK(signed_service("Bearer x", "a=b").empty());
}

TEST_CASE("bucket names follow S3's rules") {
  CHECK_FALSE(bucket_name_problem("my-bucket.2024"));
  CHECK(bucket_name_problem("ab"));
  CHECK(bucket_name_problem(std::string(64, 'a')));
  CHECK(bucket_name_problem("MyBucket"));
  CHECK(bucket_name_problem("-bucket"));
  CHECK(bucket_name_problem("a..b"));
  CHECK(bucket_name_problem("192.168.1.1"));
  CHECK(bucket_name_problem("under_score"));
}
