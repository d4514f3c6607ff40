// Multipart upload: CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload.
#include "emulator/core/s3/etag.hpp"
#include "emulator/core/s3/xml.hpp"
#include "emulator/io/s3/s3_api_detail.hpp"

#include <charconv>

namespace lambkin::io::s3 {
namespace bhttp = boost::beast::http;
namespace {

// The upload named by ?uploadId, if it belongs to this bucket and key.
std::optional<upload_info> find_upload(const call& c) {
  auto u = c.service.store().find_upload(c.s3.param("uploadId").value_or(""));
  if (!u || u->bucket != c.s3.bucket || u->key != c.s3.key) return std::nullopt;
  return u;
}

http::response no_such_upload(const call& c) {
  return c.error(core::s3_errc::no_such_upload,
                 "The specified upload does not exist. The upload ID may be invalid, or the upload may have been "
                 "aborted or completed.");
}

}  // namespace

http::response create_upload(call& c) {
  if (auto missing = c.require_bucket()) return std::move(*missing);
  std::string type(c.header("content-type"));
  if (type.empty()) type = "binary/octet-stream";
  const auto id = c.service.store().create_upload(c.s3.bucket, c.s3.key, std::move(type), c.stored_headers());
  core::xml_writer w;
  w.open("InitiateMultipartUploadResult", s3_xmlns);
  w.element("Bucket", c.s3.bucket).element("Key", c.s3.key).element("UploadId", id);
  return c.xml(w.finish());
}

http::response upload_part(call& c) {
  if (auto missing = c.require_bucket()) return std::move(*missing);
  const auto text = c.s3.param("partNumber").value_or("");
  int number = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc{} || p != text.data() + text.size() || number < 1 || number > core::max_part_number)
    return c.error(core::s3_errc::invalid_argument, "Part number must be an integer between 1 and 10000, inclusive");
  auto u = find_upload(c);
  if (!u) return no_such_upload(c);
  http::response failed;
  auto data = c.payload(failed);
  if (!data) return failed;
  const auto etag = c.service.store().put_part(u->id, number, *data);
  auto res = c.empty(200);
  res.set(bhttp::field::etag, etag);
  return res;
}

http::response complete_upload(call& c) {
  if (auto missing = c.require_bucket()) return std::move(*missing);
  auto u = find_upload(c);
  if (!u) return no_such_upload(c);
  auto requested = core::parse_completion(c.req.body());
  if (auto* e = std::get_if<core::s3_error>(&requested)) return c.error(*e);
  auto& store = c.service.store();
  auto parts = core::check_completion(std::get<0>(requested),
                                      [&](int n) { return store.find_part(u->id, n); });
  if (auto* e = std::get_if<core::s3_error>(&parts)) return c.error(*e);
  auto o = store.complete_upload(*u, std::get<0>(parts), c.now());
  const auto host = c.header("host");
  core::xml_writer w;
  w.open("CompleteMultipartUploadResult", s3_xmlns);
  w.element("Location", "http://" + std::string(host) + "/" + c.s3.bucket + "/" + c.s3.key);
  w.element("Bucket", c.s3.bucket).element("Key", c.s3.key).element("ETag", o.etag);
  auto res = c.xml(w.finish());
  c.service.notify(c.change("ObjectCreated:CompleteMultipartUpload", &o));
  return res;
}

http::response abort_upload(call& c) {
  if (auto missing = c.require_bucket()) return std::move(*missing);
  auto u = find_upload(c);
  if (!u) return no_such_upload(c);
  c.service.store().abort_upload(u->id);
  return c.empty(204);
}

}  // namespace lambkin::io::s3
