// Object operations: PutObject, CopyObject, GetObject / HeadObject, DeleteObject.
#include "emulator/core/lambda/wall_time.hpp"
#include "emulator/core/s3/byte_range.hpp"
#include "emulator/core/s3/etag.hpp"
#include "emulator/core/s3/xml.hpp"
#include "emulator/core/text/base64.hpp"
#include "emulator/core/text/url.hpp"
#include "emulator/io/s3/md5.hpp"
#include "emulator/io/s3/s3_api_detail.hpp"

namespace lambkin::io::s3 {
namespace bhttp = boost::beast::http;
namespace {

constexpr std::string_view default_content_type = "binary/octet-stream";

std::optional<http::response> check_content_md5(const call& c, std::string_view data) {
  const auto given = c.header("content-md5");
  if (given.empty()) return std::nullopt;
  auto digest = text::base64_decode(given);
  if (!digest || digest->size() != 16)
    return c.error(core::s3_errc::invalid_digest, "The Content-MD5 you specified was invalid.");
  if (*digest != md5_digest(data))
    return c.error(core::s3_errc::bad_digest, "The Content-MD5 you specified did not match what we received.");
  return std::nullopt;
}

void object_headers(http::response& res, const object_info& o) {
  res.set(bhttp::field::etag, o.etag);
  res.set(bhttp::field::last_modified, http_date(o.modified));
  res.set(bhttp::field::accept_ranges, "bytes");
  for (const auto& [k, v] : o.headers) res.set(k, v);
}

}  // namespace

http::response put_object(call& c) {
  if (auto missing = c.require_bucket()) return std::move(*missing);
  http::response failed;
  auto data = c.payload(failed);
  if (!data) return failed;
  if (auto bad = check_content_md5(c, *data)) return std::move(*bad);
  std::string type(c.header("content-type"));
  if (type.empty()) type = default_content_type;
  auto o = c.service.store().put(c.s3.bucket, c.s3.key, *data, std::move(type), c.stored_headers(), c.now());
  auto res = c.empty(200);
  res.set(bhttp::field::etag, o.etag);
  c.service.notify(c.change("ObjectCreated:Put", &o));
  return res;
}

http::response copy_object(call& c) {
  if (auto missing = c.require_bucket()) return std::move(*missing);
  // x-amz-copy-source: [/]bucket/key[?versionId=…], URL-encoded.
  std::string_view source = c.header("x-amz-copy-source");
  source = source.substr(0, source.find('?'));
  if (source.starts_with('/')) source.remove_prefix(1);
  auto decoded = text::percent_decode(source);
  const auto slash = decoded ? decoded->find('/') : std::string::npos;
  if (!decoded || slash == std::string::npos || slash == 0 || slash + 1 == decoded->size())
    return c.error(core::s3_errc::invalid_argument, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
  const std::string from_bucket = decoded->substr(0, slash), from_key = decoded->substr(slash + 1);
  if (!c.service.store().find_bucket(from_bucket))
    return c.error(core::s3_error{core::s3_errc::no_such_bucket, "The specified bucket does not exist", from_bucket, {}});
  auto src = c.service.store().find(from_bucket, from_key);
  if (!src)
    return c.error(core::s3_error{core::s3_errc::no_such_key, "The specified key does not exist.", {}, from_key});
  const auto directive = c.header("x-amz-metadata-directive");
  const bool replace = directive == "REPLACE";
  if (!directive.empty() && !replace && directive != "COPY")
    return c.error(core::s3_errc::invalid_argument, "Unknown metadata directive.");
  if (from_bucket == c.s3.bucket && from_key == c.s3.key && !replace)
    return c.error(core::s3_errc::invalid_request,
                   "This copy request is illegal because it is trying to copy an object to itself without changing the "
                   "object's metadata, storage class, website redirect location or encryption attributes.");
  std::string type = replace ? std::string(c.header("content-type")) : src->content_type;
  if (type.empty()) type = default_content_type;
  const std::string data = c.service.store().read(*src);
  auto o = c.service.store().put(c.s3.bucket, c.s3.key, data, std::move(type),
                                 replace ? c.stored_headers() : src->headers, c.now());
  core::xml_writer w;
  w.open("CopyObjectResult", s3_xmlns);
  w.element("LastModified", lambkin::lambda::format_iso8601(o.modified));
  w.element("ETag", o.etag);
  auto res = c.xml(w.finish());
  c.service.notify(c.change("ObjectCreated:Copy", &o));
  return res;
}

http::response get_object(call& c, bool head) {
  if (auto missing = c.require_bucket()) return std::move(*missing);
  auto o = c.service.store().find(c.s3.bucket, c.s3.key);
  if (!o) return c.error(core::s3_errc::no_such_key, "The specified key does not exist.");
  const auto etag = core::unquote_etag(o->etag);
  if (auto m = c.header("if-match"); !m.empty() && m != "*" && core::unquote_etag(m) != etag)
    return c.error(core::s3_errc::precondition_failed, "At least one of the pre-conditions you specified did not hold");
  if (auto m = c.header("if-none-match"); !m.empty() && (m == "*" || core::unquote_etag(m) == etag)) {
    auto res = c.empty(304);
    object_headers(res, *o);
    return res;
  }
  std::uint64_t first = 0, length = o->size;
  bool partial = false;
  if (auto range = c.header("range"); !range.empty()) {
    auto r = core::parse_range(range, o->size);
    if (std::holds_alternative<core::unsatisfiable_range>(r)) {
      auto res = c.error(core::s3_errc::invalid_range, "The requested range is not satisfiable");
      res.set(bhttp::field::content_range, "bytes */" + std::to_string(o->size));
      return res;
    }
    if (auto* br = std::get_if<core::byte_range>(&r)) {
      first = br->first;
      length = br->length;
      partial = true;
    }
  }
  http::response res = c.empty(partial ? 206 : 200);
  object_headers(res, *o);
  res.set(bhttp::field::content_type, o->content_type);
  // response-* parameters override the stored headers (presigned downloads use them).
  for (const auto& [param, field] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {"response-content-type", "content-type"},
           {"response-content-disposition", "content-disposition"},
           {"response-content-encoding", "content-encoding"},
           {"response-content-language", "content-language"},
           {"response-cache-control", "cache-control"},
           {"response-expires", "expires"}})
    if (auto v = c.s3.param(param)) res.set(field, *v);
  if (partial)
    res.set(bhttp::field::content_range, "bytes " + std::to_string(first) + "-" + std::to_string(first + length - 1) +
                                             "/" + std::to_string(o->size));
  if (head) {
    res.content_length(length);
  } else {
    res.body() = c.service.store().read(*o, first, length);
    res.prepare_payload();
  }
  return res;
}

http::response delete_object(call& c) {
  if (auto missing = c.require_bucket()) return std::move(*missing);
  // Deleting a key that does not exist succeeds (204), as in S3; only a real removal is an event.
  if (c.service.store().remove(c.s3.bucket, c.s3.key)) c.service.notify(c.change("ObjectRemoved:Delete", nullptr));
  return c.empty(204);
}

}  // namespace lambkin::io::s3
