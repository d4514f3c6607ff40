// Bucket-level operations: ListBuckets, CreateBucket, DeleteBucket, HeadBucket, GetBucketLocation,
// ListObjects(V2) and DeleteObjects.
#include "emulator/core/lambda/wall_time.hpp"
#include "emulator/core/s3/object_listing.hpp"
#include "emulator/core/s3/xml.hpp"
#include "emulator/core/text/base64.hpp"
#include "emulator/io/s3/s3_api_detail.hpp"

namespace lambkin::io::s3 {
namespace {

// The owner every bucket and object reports (S3's documentation example of a canonical user id).
constexpr std::string_view owner_id = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";

std::string iso(epoch_ms t) { return lambkin::lambda::format_iso8601(t); }

}  // namespace

http::response list_buckets(call& c) {
  core::xml_writer w;
  w.open("ListAllMyBucketsResult", s3_xmlns);
  w.open("Owner").element("ID", owner_id).element("DisplayName", "lambkin").close();
  w.open("Buckets");
  for (const auto& b : c.service.store().buckets())
    w.open("Bucket").element("Name", b.name).element("CreationDate", iso(b.created)).close();
  w.close();
  return c.xml(w.finish());
}

http::response create_bucket(call& c) {
  if (auto why = core::bucket_name_problem(c.s3.bucket))
    return c.error(core::s3_error{core::s3_errc::invalid_bucket_name, "The specified bucket is not valid: " + *why,
                                  c.s3.bucket, {}});
  if (!c.req.body().empty()) {  // CreateBucketConfiguration: only checked to be XML
    auto doc = core::parse_xml(c.req.body());
    if (!doc || doc->name != "CreateBucketConfiguration")
      return c.error(core::s3_errc::malformed_xml,
                     "The XML you provided was not well-formed or did not validate against our published schema");
  }
  if (!c.service.store().create_bucket(c.s3.bucket, c.now()))
    return c.error(core::s3_error{core::s3_errc::bucket_already_owned_by_you,
                                  "Your previous request to create the named bucket succeeded and you already own it.",
                                  c.s3.bucket, {}});
  auto res = c.empty(200);
  res.set(boost::beast::http::field::location, "/" + c.s3.bucket);
  return res;
}

http::response delete_bucket(call& c) {
  switch (c.service.store().delete_bucket(c.s3.bucket)) {
    case object_store::delete_outcome::deleted: return c.empty(204);
    case object_store::delete_outcome::missing:
      return c.error(core::s3_error{core::s3_errc::no_such_bucket, "The specified bucket does not exist", c.s3.bucket, {}});
    case object_store::delete_outcome::not_empty: break;
  }
  return c.error(core::s3_error{core::s3_errc::bucket_not_empty, "The bucket you tried to delete is not empty",
                                c.s3.bucket, {}});
}

http::response head_bucket(call& c) {
  if (auto missing = c.require_bucket()) return std::move(*missing);
  auto res = c.empty(200);
  res.set("x-amz-bucket-region", c.service.settings().region);
  return res;
}

http::response bucket_location(call& c) {
  if (auto missing = c.require_bucket()) return std::move(*missing);
  const auto& region = c.service.settings().region;
  core::xml_writer w;
  w.open("LocationConstraint", s3_xmlns);
  std::string doc = w.finish();
  // us-east-1 is reported as an empty constraint, as S3 does.
  if (region != "us-east-1") doc.insert(doc.rfind("</"), core::xml_escape(region));
  return c.xml(std::move(doc));
}

http::response list_objects(call& c, bool v2) {
  if (auto missing = c.require_bucket()) return std::move(*missing);
  core::listing_params p;
  p.prefix = c.s3.param("prefix").value_or("");
  p.delimiter = c.s3.param("delimiter").value_or("");
  if (auto m = c.s3.param("max-keys")) {
    auto n = core::parse_max_keys(*m);
    if (!n) return c.error(core::s3_errc::invalid_argument, "Provided max-keys not an integer or within integer range");
    p.max_keys = *n;
  }
  const auto encoding = c.s3.param("encoding-type");
  if (encoding && *encoding != "url")
    return c.error(core::s3_errc::invalid_argument, "Invalid Encoding Method specified in Request");
  const bool url = encoding.has_value();
  auto enc = [&](std::string_view s) { return url ? core::url_encode_for_listing(s) : std::string(s); };
  const auto token = c.s3.param("continuation-token");
  const auto start_after = c.s3.param("start-after");
  if (v2) {
    if (token) {
      auto decoded = text::base64_decode(*token);
      if (!decoded || decoded->empty() || (*decoded)[0] != 'k')
        return c.error(core::s3_errc::invalid_argument, "The continuation token provided is incorrect");
      p.marker = decoded->substr(1);
    } else if (start_after) {
      p.marker = *start_after;
    }
  } else {
    p.marker = c.s3.param("marker").value_or("");
  }
  const std::size_t max_keys = p.max_keys;
  core::listing_page page(p);
  std::vector<object_info> contents;
  c.service.store().list(c.s3.bucket, page, [&](object_info o) { contents.push_back(std::move(o)); });

  core::xml_writer w;
  w.open("ListBucketResult", s3_xmlns);
  w.element("Name", c.s3.bucket);
  w.element("Prefix", enc(p.prefix));
  if (!v2) {
    w.element("Marker", enc(c.s3.param("marker").value_or("")));
    if (page.truncated() && !p.delimiter.empty()) w.element("NextMarker", enc(page.last_listed()));
  }
  if (!p.delimiter.empty()) w.element("Delimiter", enc(p.delimiter));
  w.element("MaxKeys", std::to_string(max_keys));
  if (v2) w.element("KeyCount", std::to_string(page.key_count()));
  w.element("IsTruncated", page.truncated() ? "true" : "false");
  if (v2) {
    if (token) w.element("ContinuationToken", *token);
    if (page.truncated()) w.element("NextContinuationToken", text::base64_encode("k" + page.last_listed()));
    if (start_after) w.element("StartAfter", enc(*start_after));
  }
  if (url) w.element("EncodingType", "url");
  const bool owner = !v2 || c.s3.param("fetch-owner") == "true";
  for (const auto& o : contents) {
    w.open("Contents");
    w.element("Key", enc(o.key));
    w.element("LastModified", iso(o.modified));
    w.element("ETag", o.etag);
    w.element("Size", std::to_string(o.size));
    if (owner) w.open("Owner").element("ID", owner_id).element("DisplayName", "lambkin").close();
    w.element("StorageClass", "STANDARD");
    w.close();
  }
  for (const auto& prefix : page.common_prefixes()) w.open("CommonPrefixes").element("Prefix", enc(prefix)).close();
  return c.xml(w.finish());
}

http::response delete_objects(call& c) {
  if (auto missing = c.require_bucket()) return std::move(*missing);
  http::response failed;
  auto body = c.payload(failed);
  if (!body) return failed;
  auto doc = core::parse_xml(*body);
  const std::string malformed =
      "The XML you provided was not well-formed or did not validate against our published schema";
  if (!doc || doc->name != "Delete") return c.error(core::s3_errc::malformed_xml, malformed);
  const auto objects = doc->all("Object");
  if (objects.empty() || objects.size() > 1000) return c.error(core::s3_errc::malformed_xml, malformed);
  const auto* quiet = doc->child("Quiet");
  const bool is_quiet = quiet && quiet->text == "true";
  std::vector<std::string> keys;
  for (const auto* o : objects) {
    const auto* key = o->child("Key");
    if (!key) return c.error(core::s3_errc::malformed_xml, malformed);
    keys.push_back(key->text);
  }
  core::xml_writer w;
  w.open("DeleteResult", s3_xmlns);
  for (const auto& key : keys) {
    // Deleting a key that does not exist succeeds, as in S3; only a real removal is an event.
    if (c.service.store().remove(c.s3.bucket, key)) {
      auto change = c.change("ObjectRemoved:Delete", nullptr);
      change.key = key;
      c.service.notify(std::move(change));
    }
    if (!is_quiet) w.open("Deleted").element("Key", key).close();
  }
  return c.xml(w.finish());
}

}  // namespace lambkin::io::s3
