// core/sigv4's verifier against AWS's Signature Version 4 test suite (service "service",
// AKIDEXAMPLE, 20150830T123600Z) and the S3 examples of "Authenticating Requests (AWS Signature
// Version 4)" (examplebucket, AKIAIOSFODNN7EXAMPLE, 20130524T000000Z): header-signed, presigned
// and chunk-signed (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) requests.
#include "emulator/core/sigv4/verifier.hpp"
#include "unit/sigv4/test_crypto.hpp"

#include <doctest/doctest.h>

#include <map>

using namespace lambkin::sigv4;

namespace {

const std::map<std::string, std::string, std::less<>> suite_keys{{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}};
const std::map<std::string, std::string, std::less<>> s3_keys{{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}};
constexpr std::int64_t suite_time = 1440938160;  // 20150830T123600Z
constexpr std::int64_t s3_time = 1369353600;     // 20130524T000000Z

secret_lookup lookup(const std::map<std::string, std::string, std::less<>>& keys) {
  return [&keys](std::string_view id) -> const std::string* {
    const auto it = keys.find(id);
    return it == keys.end() ? nullptr : &it->second;
  };
}

std::string suite_auth(const std::string& signed_headers, const std::string& signature) {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=" +
         signed_headers + ", Signature=" + signature;
}

verdict check(std::string_view method, std::string_view target, header_list headers, std::int64_t now,
              uri_style style = uri_style::standard, std::string_view body = {},
              const std::map<std::string, std::string, std::less<>>& keys = suite_keys) {
  request_view r{method, target, &headers, body, style, {}, {}};
  return verify(r, lookup(keys), now, lambkin::test::test_crypto());
}

struct vector {
  const char* name;
  const char* target;
  header_list headers;
  const char* signed_headers;
  const char* signature;
  const char* creq;  // the suite's canonical request, where checked
};

}  // namespace

TEST_CASE("the SigV4 test suite's GET requests verify, and their canonical requests are the suite's") {
  const std::vector<vector> vectors{
      {"get-vanilla", "/", {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}}, "host;x-amz-date",
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
       "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"get-vanilla-empty-query-key", "/?Param1=value1", {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}},
       "host;x-amz-date", "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb", nullptr},
      {"get-vanilla-query-order-key-case", "/?Param2=value2&Param1=value1",
       {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}}, "host;x-amz-date",
       "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500", nullptr},
      {"get-vanilla-query-order-key", "/?Param1=value2&Param1=Value1",
       {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}}, "host;x-amz-date",
       "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1", nullptr},
      {"get-vanilla-query-order-value", "/?Param1=value2&Param1=value1",
       {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}}, "host;x-amz-date",
       "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694", nullptr},
      {"get-header-value-trim", "/",
       {{"Host", "example.amazonaws.com"}, {"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""},
        {"X-Amz-Date", "20150830T123600Z"}},
       "host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
       "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\n"
       "host;my-header1;my-header2;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"get-header-value-order", "/",
       {{"Host", "example.amazonaws.com"}, {"My-Header1", "value4"}, {"My-Header1", "value1"}, {"My-Header1", "value3"},
        {"My-Header1", "value2"}, {"X-Amz-Date", "20150830T123600Z"}},
       "host;my-header1;x-amz-date", "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01", nullptr},
      {"get-header-key-duplicate", "/",
       {{"Host", "example.amazonaws.com"}, {"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"},
        {"X-Amz-Date", "20150830T123600Z"}},
       "host;my-header1;x-amz-date", "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea", nullptr},
      {"get-unreserved", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
       {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}}, "host;x-amz-date",
       "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f", nullptr},
      {"get-utf8", "/\xE1\x88\xB4", {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}},
       "host;x-amz-date", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85", nullptr},
  };
  for (const auto& v : vectors) {
    CAPTURE(v.name);
    auto headers = v.headers;
    headers.emplace_back("Authorization", suite_auth(v.signed_headers, v.signature));
    const auto r = check("GET", v.target, headers, suite_time);
    CHECK(r.error == failure::none);
    CHECK(r.access_key == "AKIDEXAMPLE");
    if (v.creq) CHECK(r.canonical_request == v.creq);
  }
}

TEST_CASE("a changed header, method, query or secret fails, an unknown key is named as such") {
  const header_list good{{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"},
                         {"Authorization", suite_auth("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")}};
  CHECK(check("GET", "/", good, suite_time).error == failure::none);
  CHECK(check("POST", "/", good, suite_time).error == failure::signature_mismatch);
  CHECK(check("GET", "/?a=1", good, suite_time).error == failure::signature_mismatch);
  auto other_host = good;
  other_host[0].second = "evil.example.com";
  CHECK(check("GET", "/", other_host, suite_time).error == failure::signature_mismatch);
  const std::map<std::string, std::string, std::less<>> wrong_secret{{"AKIDEXAMPLE", "not-the-secret"}};
  const auto mismatch = check("GET", "/", good, suite_time, uri_style::standard, {}, wrong_secret);
  CHECK(mismatch.error == failure::signature_mismatch);
  CHECK(mismatch.string_to_sign ==
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
        "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  const auto unknown = check("GET", "/", good, suite_time, uri_style::standard, {}, s3_keys);
  CHECK(unknown.error == failure::unknown_key);
  CHECK(unknown.access_key == "AKIDEXAMPLE");
}

TEST_CASE("X-Amz-Date within 15 minutes of now is accepted, further off is skewed either way") {
  const header_list h{{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"},
                      {"Authorization", suite_auth("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")}};
  CHECK(check("GET", "/", h, suite_time + 15 * 60).error == failure::none);
  CHECK(check("GET", "/", h, suite_time - 15 * 60).error == failure::none);
  CHECK(check("GET", "/", h, suite_time + 15 * 60 + 1).error == failure::time_skewed);
  CHECK(check("GET", "/", h, suite_time - 15 * 60 - 1).error == failure::time_skewed);
}

TEST_CASE("no signature, SigV2, SigV4a and malformed signatures are told apart") {
  const header_list bare{{"Host", "example.amazonaws.com"}};
  CHECK(check("GET", "/", bare, suite_time).error == failure::missing);
  auto v2 = bare;
  v2.emplace_back("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=");
  CHECK(check("GET", "/", v2, suite_time).error == failure::unsupported_algorithm);
  CHECK(check("GET", "/k?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1&Signature=x", bare, suite_time).error ==
        failure::unsupported_algorithm);
  auto v4a = bare;
  v4a.emplace_back("Authorization", "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request");
  CHECK(check("GET", "/", v4a, suite_time).error == failure::unsupported_algorithm);

  auto with = [&](std::string auth, std::string date = "20150830T123600Z") {
    header_list h{{"Host", "example.amazonaws.com"}, {"X-Amz-Date", std::move(date)}, {"Authorization", std::move(auth)}};
    return check("GET", "/", h, suite_time);
  };
  const auto no_sig = with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host");
  CHECK(no_sig.error == failure::malformed);
  CHECK(no_sig.message.find("'Signature'") != std::string::npos);
  CHECK(with(suite_auth("host;x-amz-date", "00")).error == failure::signature_mismatch);
  CHECK(with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service, SignedHeaders=host, Signature=00")
            .error == failure::malformed);
  CHECK(with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws5_request, SignedHeaders=host, Signature=00")
            .error == failure::malformed);
  CHECK(with(suite_auth("x-amz-date", "00")).error == failure::malformed);  // host not signed
  CHECK(with(suite_auth("host;x-amz-date", "00"), "20150831T000000Z").error == failure::malformed);  // scope date
  CHECK(with(suite_auth("host;x-amz-date", "00"), "yesterday").error == failure::malformed);
  CHECK(with(suite_auth("host;x-amz-date;x-missing", "00")).error == failure::malformed);
}

TEST_CASE("S3's GET Object example: header-signed, empty payload hash, path signed once encoded") {
  const header_list h{
      {"Host", "examplebucket.s3.amazonaws.com"},
      {"Range", "bytes=0-9"},
      {"x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"x-amz-date", "20130524T000000Z"},
      {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"}};
  const auto ok = check("GET", "/test.txt", h, s3_time, uri_style::s3, {}, s3_keys);
  CHECK(ok.error == failure::none);
  CHECK(ok.string_to_sign ==
        "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
        "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  // The signed hash says "empty body": a body makes it a content mismatch, not a signature one.
  CHECK(check("GET", "/test.txt", h, s3_time, uri_style::s3, "tampered", s3_keys).error ==
        failure::content_sha256_mismatch);
}

TEST_CASE("S3's presigned URL example: valid until X-Amz-Date + X-Amz-Expires, then expired") {
  const std::string target =
      "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3"
      "%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature="
      "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
  const header_list h{{"Host", "examplebucket.s3.amazonaws.com"}};
  const auto ok = check("GET", target, h, s3_time + 3600, uri_style::s3, {}, s3_keys);
  CHECK(ok.error == failure::none);
  CHECK(ok.presigned);
  CHECK(ok.payload_hash == "UNSIGNED-PAYLOAD");
  CHECK(check("GET", target, h, s3_time + 86400 + 1, uri_style::s3, {}, s3_keys).error == failure::expired);
  CHECK(check("GET", target, h, s3_time - 16 * 60, uri_style::s3, {}, s3_keys).error == failure::time_skewed);
  std::string tampered = target;
  tampered.replace(tampered.find("test.txt"), 8, "test.TXT");
  CHECK(check("GET", tampered, h, s3_time, uri_style::s3, {}, s3_keys).error == failure::signature_mismatch);
  const auto no_expiry = "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524"
                         "%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-SignedHeaders=host&"
                         "X-Amz-Signature=00";
  CHECK(check("GET", no_expiry, h, s3_time, uri_style::s3, {}, s3_keys).error == failure::malformed);
}

TEST_CASE("S3's chunked upload example: the seed signature and every chunk signature verify") {
  const std::string chunk1(65536, 'a'), chunk2(1024, 'a');
  auto framed = [&](const std::string& s1, const std::string& s2, const std::string& s3) {
    return "10000;chunk-signature=" + s1 + "\r\n" + chunk1 + "\r\n" + "400;chunk-signature=" + s2 + "\r\n" + chunk2 +
           "\r\n" + "0;chunk-signature=" + s3 + "\r\n\r\n";
  };
  const std::string sig1 = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648";
  const std::string sig2 = "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497";
  const std::string sig3 = "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9";
  const std::string body = framed(sig1, sig2, sig3);
  const header_list h{
      {"Host", "s3.amazonaws.com"},
      {"x-amz-date", "20130524T000000Z"},
      {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
      {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
      {"Content-Encoding", "aws-chunked"},
      {"x-amz-decoded-content-length", "66560"},
      {"Content-Length", std::to_string(body.size())},
      {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                        "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                        "x-amz-decoded-content-length;x-amz-storage-class,"
                        "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"}};
  CHECK(body.size() == 66824);
  const auto seed = check("PUT", "/examplebucket/chunkObject.txt", h, s3_time, uri_style::s3, body, s3_keys);
  REQUIRE(seed.error == failure::none);
  const auto c = lambkin::test::test_crypto();
  CHECK(verify_chunk_signatures(body, seed, c) == failure::none);
  std::string swapped = body;
  swapped[swapped.find("\r\n") + 2] = 'b';  // one byte of the first chunk's data
  CHECK(verify_chunk_signatures(swapped, seed, c) == failure::signature_mismatch);
  CHECK(verify_chunk_signatures(framed(sig1, sig3, sig2), seed, c) == failure::signature_mismatch);
  CHECK(verify_chunk_signatures("zz;chunk-signature=00\r\n", seed, c) == failure::malformed);
  CHECK(verify_chunk_signatures(body.substr(0, 100), seed, c) == failure::malformed);
}

TEST_CASE("the scope's region and service: checked against the endpoint's when given, any accepted otherwise") {
  const header_list h{{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"},
                      {"Authorization", suite_auth("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")}};
  auto verify_for = [&](std::string_view region, std::string_view service) {
    request_view r{"GET", "/", &h, {}, uri_style::standard, region, service};
    return verify(r, lookup(suite_keys), suite_time, lambkin::test::test_crypto());
  };
  CHECK(verify_for("", "").error == failure::none);
  CHECK(verify_for("us-east-1", "service").error == failure::none);
  CHECK(verify_for("us-east-1", "iot,service").error == failure::none);  // one of several names
  CHECK(verify_for("us-east-1", "iot,execute-api").error == failure::wrong_service);
  const auto region = verify_for("eu-west-1", "service");
  CHECK(region.error == failure::wrong_region);
  CHECK(region.region == "us-east-1");
  CHECK(region.service == "service");
  const auto service = verify_for("us-east-1", "dynamodb");
  CHECK(service.error == failure::wrong_service);
  CHECK(service.service == "service");
  // The region is checked first, and both before the key: a wrong scope is named even for an unknown key.
  CHECK(verify_for("eu-west-1", "dynamodb").error == failure::wrong_region);
  request_view r{"GET", "/", &h, {}, uri_style::standard, "us-east-1", "lambda"};
  CHECK(verify(r, lookup(s3_keys), suite_time, lambkin::test::test_crypto()).error == failure::wrong_service);
}
