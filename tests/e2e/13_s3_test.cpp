// S3 on lambkin (issue 9) through Debian's AWS CLI v2 (`aws s3 …`, `aws s3api …`) and a plain
// HTTP client (virtual-hosted-style addressing, aws-chunked bodies), against `lambkin run`; and
// event notifications invoking a real Node function with S3's record.
#include "e2e/aws_cli.hpp"
#include "e2e/lambkin_instance.hpp"
#include "emulator/io/s3/md5.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <fstream>
#include <sstream>

using lambkin::test::aws_cli;
using lambkin::test::child_process;
using lambkin::test::cli_result;
using lambkin::test::http_client;
using lambkin::test::lambkin_instance;
using lambkin::test::temp_dir;
namespace json = boost::json;
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

namespace {

const std::string bucket_template = R"(Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: uploads
)";

/// `aws <args>` with an AWS config file of the test's (multipart thresholds).
cli_result aws_with_config(unsigned short port, const std::filesystem::path& config, std::vector<std::string> args) {
  std::vector<std::string> argv{lambkin::test::aws_cli_path};
  for (auto& a : args) argv.push_back(std::move(a));
  argv.push_back("--endpoint-url");
  argv.push_back("http://127.0.0.1:" + std::to_string(port));
  child_process p(std::move(argv), {"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
                                    "AWS_PAGER=", "AWS_CONFIG_FILE=" + config.string(),
                                    "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_MAX_ATTEMPTS=1"});
  const auto code = p.wait(std::chrono::seconds(120));
  return {code.value_or(-1), p.out(), p.err()};
}

json::value ok(unsigned short port, std::vector<std::string> args) {
  auto r = aws_cli(port, std::move(args));
  REQUIRE_MESSAGE(r.code == 0, r.err);
  return r.out.empty() ? json::value() : json::parse(r.out);
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::filesystem::path& p, const std::string& data) {
  std::ofstream(p, std::ios::binary) << data;
}

std::string bytes(std::size_t n, unsigned seed) {
  std::string out(n, '\0');
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<char>((i * 131 + seed * 7 + (i >> 9)) & 0xFF);
  return out;
}

std::string hex(const std::string& raw) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

}  // namespace

/// A request the AWS endpoint takes as S3's: signed (signatures are not checked) for the `s3` service.
bhttp::response<bhttp::string_body> signed_request(unsigned short port, bhttp::verb verb, const std::string& target) {
  http_client client(port);
  bhttp::request<bhttp::string_body> req{verb, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  req.set(bhttp::field::authorization,
          "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0");
  req.prepare_payload();
  return client.send(req);
}

TEST_CASE("aws s3: buckets from the template and mb/ls/cp/rm/rb, with S3's errors") {
  lambkin_instance lk(bucket_template);
  temp_dir dir;
  const auto port = lk.aws_port();

  auto buckets = ok(port, {"s3api", "list-buckets"});
  REQUIRE(buckets.at("Buckets").as_array().size() == 1);
  CHECK(buckets.at("Buckets").at(0).at("Name") == "uploads");

  auto mb = aws_cli(port, {"s3", "mb", "s3://photos"});
  REQUIRE_MESSAGE(mb.code == 0, mb.err);
  auto again = aws_cli(port, {"s3", "mb", "s3://photos"});
  CHECK(again.code != 0);
  CHECK(again.err.find("BucketAlreadyOwnedByYou") != std::string::npos);

  const auto tree = dir.path() / "tree";
  std::filesystem::create_directories(tree / "dir" / "sub");
  write_file(tree / "a.txt", "hello, s3\n");
  write_file(tree / "dir" / "b.bin", bytes(70000, 1));
  write_file(tree / "dir" / "sub" / "c.txt", "c");
  write_file(tree / "with space+plus.txt", "spaced");
  auto cp = aws_cli(port, {"s3", "cp", "--recursive", tree.string(), "s3://photos/"});
  REQUIRE_MESSAGE(cp.code == 0, cp.err);
  auto ls = aws_cli(port, {"s3", "ls", "s3://photos/"});
  REQUIRE_MESSAGE(ls.code == 0, ls.err);
  CHECK(ls.out.find("PRE dir/") != std::string::npos);
  CHECK(ls.out.find(" 10 a.txt") != std::string::npos);
  CHECK(ls.out.find(" 6 with space+plus.txt") != std::string::npos);
  CHECK(ls.out.find("b.bin") == std::string::npos);  // folded under dir/
  auto recursive = aws_cli(port, {"s3", "ls", "--recursive", "s3://photos/"});
  CHECK(lambkin::test::count_of(recursive.out, "\n") == 4);
  CHECK(recursive.out.find("70000 dir/b.bin") != std::string::npos);

  auto down = aws_cli(port, {"s3", "cp", "s3://photos/dir/b.bin", (dir.path() / "back.bin").string()});
  REQUIRE_MESSAGE(down.code == 0, down.err);
  CHECK(read_file(dir.path() / "back.bin") == bytes(70000, 1));

  auto missing = aws_cli(port, {"s3api", "get-object", "--bucket", "photos", "--key", "nope", (dir.path() / "x").string()});
  CHECK(missing.code != 0);
  CHECK(missing.err.find("NoSuchKey") != std::string::npos);
  auto no_bucket = signed_request(port, bhttp::verb::get, "/nobucket?list-type=2");
  CHECK(no_bucket.result_int() == 404);
  CHECK(no_bucket.body().find("<Code>NoSuchBucket</Code>") != std::string::npos);
  auto bad_name = signed_request(port, bhttp::verb::put, "/Bad_Name");
  CHECK(bad_name.result_int() == 400);
  CHECK(bad_name.body().find("<Code>InvalidBucketName</Code>") != std::string::npos);

  auto rb = aws_cli(port, {"s3", "rb", "s3://photos"});
  CHECK(rb.code != 0);
  CHECK(rb.err.find("BucketNotEmpty") != std::string::npos);
  auto rm = aws_cli(port, {"s3", "rm", "--recursive", "s3://photos/"});  // ListObjectsV2 + DeleteObjects
  REQUIRE_MESSAGE(rm.code == 0, rm.err);
  CHECK(lambkin::test::count_of(rm.out, "delete: s3://photos/") == 4);
  auto rb2 = aws_cli(port, {"s3", "rb", "s3://photos"});
  CHECK_MESSAGE(rb2.code == 0, rb2.err);
  auto after = signed_request(port, bhttp::verb::get, "/");
  CHECK(after.body().find("<Name>uploads</Name>") != std::string::npos);
  CHECK(after.body().find("<Name>photos</Name>") == std::string::npos);
}

TEST_CASE("aws s3api: metadata, content type, ranges and copy") {
  lambkin_instance lk(bucket_template);
  temp_dir dir;
  const auto port = lk.aws_port();
  write_file(dir.path() / "doc.json", R"({"n":12345})");
  auto put = ok(port, {"s3api", "put-object", "--bucket", "uploads", "--key", "docs/doc.json", "--body",
                       (dir.path() / "doc.json").string(), "--content-type", "application/json", "--metadata",
                       "owner=ana,Color=Blue"});
  const std::string etag = "\"" + hex(lambkin::io::s3::md5_digest(R"({"n":12345})")) + "\"";
  CHECK(put.at("ETag").as_string() == etag);

  auto head = ok(port, {"s3api", "head-object", "--bucket", "uploads", "--key", "docs/doc.json"});
  CHECK(head.at("ContentLength") == 11);
  CHECK(head.at("ContentType") == "application/json");
  CHECK(head.at("ETag").as_string() == etag);
  CHECK(head.at("Metadata").at("owner") == "ana");
  CHECK(head.at("Metadata").at("color") == "Blue");

  auto range = ok(port, {"s3api", "get-object", "--bucket", "uploads", "--key", "docs/doc.json", "--range", "bytes=5-9",
                         (dir.path() / "part").string()});
  CHECK(range.at("ContentRange") == "bytes 5-9/11");
  CHECK(read_file(dir.path() / "part") == "12345");
  auto unsatisfiable = aws_cli(port, {"s3api", "get-object", "--bucket", "uploads", "--key", "docs/doc.json", "--range",
                                      "bytes=50-", (dir.path() / "p2").string()});
  CHECK(unsatisfiable.err.find("InvalidRange") != std::string::npos);

  auto copy = ok(port, {"s3api", "copy-object", "--bucket", "uploads", "--key", "copies/doc copy.json", "--copy-source",
                        "uploads/docs/doc.json"});
  CHECK(copy.at("CopyObjectResult").at("ETag").as_string() == etag);
  auto copied = ok(port, {"s3api", "head-object", "--bucket", "uploads", "--key", "copies/doc copy.json"});
  CHECK(copied.at("Metadata").at("owner") == "ana");
  CHECK(copied.at("ContentType") == "application/json");
  auto self = aws_cli(port, {"s3api", "copy-object", "--bucket", "uploads", "--key", "docs/doc.json", "--copy-source",
                             "uploads/docs/doc.json"});
  CHECK(self.err.find("InvalidRequest") != std::string::npos);
}

TEST_CASE("aws s3api: listing with a delimiter and in pages, delete-objects, delete-object") {
  lambkin_instance lk(bucket_template);
  temp_dir dir;
  const auto port = lk.aws_port();
  const auto tree = dir.path() / "tree";
  for (const auto* key : {"copies/doc copy.json", "docs/doc.json", "logs/2024/01.log", "logs/2024/02.log",
                          "logs/2025/01.log", "logs/top.log", "logs/z.log"}) {
    std::filesystem::create_directories((tree / key).parent_path());
    write_file(tree / key, key);
  }
  auto cp = aws_cli(port, {"s3", "cp", "--recursive", tree.string(), "s3://uploads/"});
  REQUIRE_MESSAGE(cp.code == 0, cp.err);

  auto top = ok(port, {"s3api", "list-objects-v2", "--bucket", "uploads", "--delimiter", "/", "--no-paginate"});
  CHECK(top.at("CommonPrefixes").as_array().size() == 3);  // copies/ docs/ logs/
  CHECK(top.at("KeyCount") == 3);
  auto logs = ok(port, {"s3api", "list-objects-v2", "--bucket", "uploads", "--prefix", "logs/", "--delimiter", "/"});
  REQUIRE(logs.at("CommonPrefixes").as_array().size() == 2);
  CHECK(logs.at("CommonPrefixes").at(0).at("Prefix") == "logs/2024/");
  CHECK(logs.at("CommonPrefixes").at(1).at("Prefix") == "logs/2025/");
  REQUIRE(logs.at("Contents").as_array().size() == 2);
  CHECK(logs.at("Contents").at(0).at("Key") == "logs/top.log");
  // Pages of 2: the CLI follows NextContinuationToken until IsTruncated is false.
  auto paged = ok(port, {"s3api", "list-objects-v2", "--bucket", "uploads", "--page-size", "2"});
  CHECK(paged.at("Contents").as_array().size() == 7);
  auto first_page = ok(port, {"s3api", "list-objects-v2", "--bucket", "uploads", "--max-keys", "2", "--no-paginate"});
  CHECK(first_page.at("IsTruncated") == true);
  CHECK(first_page.at("Contents").at(1).at("Key") == "docs/doc.json");

  auto deleted = ok(port, {"s3api", "delete-objects", "--bucket", "uploads", "--delete",
                           R"({"Objects":[{"Key":"logs/2024/01.log"},{"Key":"logs/2024/02.log"},{"Key":"never-was"}]})"});
  CHECK(deleted.at("Deleted").as_array().size() == 3);
  auto after = ok(port, {"s3api", "list-objects-v2", "--bucket", "uploads", "--prefix", "logs/2024/", "--no-paginate"});
  CHECK(after.at("KeyCount") == 0);
  ok(port, {"s3api", "delete-object", "--bucket", "uploads", "--key", "logs/z.log"});
  auto gone = aws_cli(port, {"s3api", "head-object", "--bucket", "uploads", "--key", "logs/z.log"});
  CHECK(gone.code != 0);
  CHECK(gone.err.find("404") != std::string::npos);
}

TEST_CASE("aws s3 cp of a large file uploads in parts, the ETag is S3's multipart ETag") {
  lambkin_instance lk(bucket_template);
  temp_dir dir;
  const auto config = dir.path() / "config";
  write_file(config, "[default]\ns3 =\n  multipart_threshold = 5MB\n  multipart_chunksize = 5MB\n");
  const std::size_t size = 12 * 1024 * 1024 + 321;
  const std::string data = bytes(size, 2);
  write_file(dir.path() / "big.bin", data);
  auto up = aws_with_config(lk.aws_port(), config, {"s3", "cp", (dir.path() / "big.bin").string(), "s3://uploads/big.bin"});
  REQUIRE_MESSAGE(up.code == 0, up.err);
  const std::size_t part = 5 * 1024 * 1024;
  std::string digests;
  for (std::size_t at = 0; at < size; at += part) digests += lambkin::io::s3::md5_digest(data.substr(at, part));
  const std::string expected = "\"" + hex(lambkin::io::s3::md5_digest(digests)) + "-3\"";
  auto head = ok(lk.aws_port(), {"s3api", "head-object", "--bucket", "uploads", "--key", "big.bin"});
  CHECK(head.at("ETag").as_string() == expected);
  CHECK(head.at("ContentLength") == static_cast<std::int64_t>(size));
  auto down = aws_with_config(lk.aws_port(), config, {"s3", "cp", "s3://uploads/big.bin", (dir.path() / "back.bin").string()});
  REQUIRE_MESSAGE(down.code == 0, down.err);
  CHECK(read_file(dir.path() / "back.bin") == data);

  // An upload aborted, and one completed with a part that was never uploaded.
  auto created = ok(lk.aws_port(), {"s3api", "create-multipart-upload", "--bucket", "uploads", "--key", "x"});
  const std::string id(created.at("UploadId").as_string());
  auto bad = aws_cli(lk.aws_port(), {"s3api", "complete-multipart-upload", "--bucket", "uploads", "--key", "x",
                                     "--upload-id", id, "--multipart-upload",
                                     R"({"Parts":[{"PartNumber":1,"ETag":"\"00\""}]})"});
  CHECK(bad.err.find("InvalidPart") != std::string::npos);
  ok(lk.aws_port(), {"s3api", "abort-multipart-upload", "--bucket", "uploads", "--key", "x", "--upload-id", id});
  auto aborted = aws_cli(lk.aws_port(), {"s3api", "abort-multipart-upload", "--bucket", "uploads", "--key", "x",
                                         "--upload-id", id});
  CHECK(aborted.err.find("NoSuchUpload") != std::string::npos);
}

TEST_CASE("virtual-hosted-style requests, aws-chunked bodies and XML errors over plain HTTP") {
  lambkin_instance lk(bucket_template);
  http_client client(lk.aws_port());
  const std::string host = "uploads.localhost:" + std::to_string(lk.aws_port());
  bhttp::request<bhttp::string_body> put{bhttp::verb::put, "/chunked.txt", 11};
  put.set(bhttp::field::host, host);
  put.set("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
  put.set("content-encoding", "aws-chunked");
  put.set("x-amz-decoded-content-length", "11");
  put.set("x-amz-trailer", "x-amz-checksum-crc32");
  put.body() = "6\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
  put.prepare_payload();
  auto res = client.send(put);
  CHECK(res.result_int() == 200);
  CHECK(res[bhttp::field::etag] == "\"" + hex(lambkin::io::s3::md5_digest("hello world")) + "\"");

  bhttp::request<bhttp::string_body> get{bhttp::verb::get, "/chunked.txt", 11};
  get.set(bhttp::field::host, host);
  auto got = client.send(get);
  CHECK(got.result_int() == 200);
  CHECK(got.body() == "hello world");
  CHECK(got[bhttp::field::content_type] == "binary/octet-stream");
  CHECK(got[bhttp::field::content_encoding] == "");  // aws-chunked is not stored

  bhttp::request<bhttp::string_body> missing{bhttp::verb::get, "/nope", 11};
  missing.set(bhttp::field::host, host);
  auto err = client.send(missing);
  CHECK(err.result_int() == 404);
  CHECK(err[bhttp::field::content_type] == "application/xml");
  CHECK(err.body().find("<Code>NoSuchKey</Code>") != std::string::npos);
  CHECK(err.body().find("<Key>nope</Key>") != std::string::npos);
  CHECK_FALSE(err["x-amz-request-id"].empty());

  bhttp::request<bhttp::string_body> tagging{bhttp::verb::get, "/chunked.txt?tagging", 11};
  tagging.set(bhttp::field::host, host);
  CHECK(client.send(tagging).result_int() == 501);
}

TEST_CASE("S3 event notifications invoke the function asynchronously with S3's record") {
  const std::string tmpl = std::string(R"(Transform: AWS::Serverless-2016-10-31
Resources:
  Inbox:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: inbox
  Record:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: )") + LAMBKIN_TEST_DATA_DIR + R"(/functions/node-record
      Events:
        Created:
          Type: S3
          Properties:
            Bucket: !Ref Inbox
            Events: s3:ObjectCreated:*
            Filter:
              S3Key:
                Rules:
                  - {Name: prefix, Value: in/}
        Removed:
          Type: S3
          Properties:
            Bucket: !Ref Inbox
            Events: [s3:ObjectRemoved:*]
)";
  lambkin_instance lk(tmpl);
  temp_dir dir;
  write_file(dir.path() / "f.txt", "12345");
  ok(lk.aws_port(), {"s3api", "put-object", "--bucket", "inbox", "--key", "elsewhere/skip.txt", "--body",
                     (dir.path() / "f.txt").string()});
  ok(lk.aws_port(), {"s3api", "put-object", "--bucket", "inbox", "--key", "in/red flower=1.txt", "--body",
                     (dir.path() / "f.txt").string()});
  REQUIRE_MESSAGE(lambkin::test::wait_for_stderr(lk.process(), R"("key":"in/red+flower%3D1.txt")", 30s), lk.log());
  const auto log = lk.log();
  const auto start = log.find("EVENT {\"Records\"");
  REQUIRE(start != std::string::npos);
  const auto event = json::parse(log.substr(start + 6, log.find('\n', start) - start - 6));
  const auto& r = event.at("Records").at(0);
  CHECK(r.at("eventSource") == "aws:s3");
  CHECK(r.at("eventName") == "ObjectCreated:Put");
  CHECK(r.at("awsRegion") == "us-east-1");
  CHECK(r.at("s3").at("configurationId") == "RecordCreated");
  CHECK(r.at("s3").at("bucket").at("name") == "inbox");
  CHECK(r.at("s3").at("bucket").at("arn") == "arn:aws:s3:::inbox");
  CHECK(r.at("s3").at("object").at("size") == 5);
  CHECK(r.at("s3").at("object").at("eTag").as_string() == hex(lambkin::io::s3::md5_digest("12345")));
  CHECK(r.at("s3").at("object").at("sequencer").as_string().size() >= 16);
  CHECK(r.at("eventTime").as_string().ends_with("Z"));
  // The skipped key did not match the prefix filter: only one creation event.
  CHECK(lambkin::test::count_of(log, "ObjectCreated:") == 1);

  ok(lk.aws_port(), {"s3api", "delete-object", "--bucket", "inbox", "--key", "elsewhere/skip.txt"});
  REQUIRE_MESSAGE(lambkin::test::wait_for_stderr(lk.process(), R"("eventName":"ObjectRemoved:Delete")", 30s), lk.log());
  CHECK(lk.log().find(R"("key":"elsewhere/skip.txt","sequencer")") != std::string::npos);

  // The metrics count the async invocations the notifications made.
  auto metrics = lk.request(bhttp::verb::get, "/_lambkin/metrics");
  CHECK(metrics.result_int() == 200);
}

TEST_CASE("objects outlive a restart on the same data directory, and --reset drops them") {
  temp_dir dir;
  std::ofstream(dir.path() / "template.yaml") << bucket_template;
  auto run = [&](int n, std::vector<std::string> extra) {
    const auto ready = dir.path() / ("ready-" + std::to_string(n) + ".json");
    std::vector<std::string> argv{lambkin::test::lambkin_exe(), "run", (dir.path() / "template.yaml").string(),
                                  "--aws-port", "0", "--mqtt-port", "0", "--ws-port", "0", "--http-port", "0",
                                  "--ready-file", ready.string(), "--data-dir", (dir.path() / "data").string()};
    for (auto& e : extra) argv.push_back(std::move(e));
    auto p = std::make_unique<child_process>(std::move(argv));
    REQUIRE_MESSAGE(lambkin::test::wait_for_file(ready, *p, 30s), p->err());
    return std::pair{std::move(p), static_cast<unsigned short>(json::parse(read_file(ready)).at("aws").as_int64())};
  };
  auto request = [](unsigned short port, bhttp::verb verb, const std::string& body) {
    http_client client(port);
    bhttp::request<bhttp::string_body> req{verb, "/kept.txt", 11};
    req.set(bhttp::field::host, "uploads.localhost:" + std::to_string(port));
    req.body() = body;
    req.prepare_payload();
    return client.send(req);
  };
  {
    auto [p, port] = run(1, {});
    CHECK(request(port, bhttp::verb::put, "kept").result_int() == 200);
    p->signal(SIGTERM);
    REQUIRE(p->wait(15s) == 0);
  }
  {
    auto [p, port] = run(2, {});
    auto got = request(port, bhttp::verb::get, "");
    CHECK(got.result_int() == 200);
    CHECK(got.body() == "kept");
    p->signal(SIGTERM);
    REQUIRE(p->wait(15s) == 0);
  }
  auto [p, port] = run(3, {"--reset"});
  CHECK(request(port, bhttp::verb::get, "").result_int() == 404);
  p->signal(SIGTERM);
  p->wait(15s);
}
