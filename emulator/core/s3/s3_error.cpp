#include "emulator/core/s3/s3_error.hpp"

#include "emulator/core/s3/xml.hpp"

namespace lambkin::s3 {

std::string_view error_code(s3_errc e) noexcept {
  switch (e) {
    case s3_errc::no_such_bucket: return "NoSuchBucket";
    case s3_errc::no_such_key: return "NoSuchKey";
    case s3_errc::no_such_upload: return "NoSuchUpload";
    case s3_errc::bucket_already_owned_by_you: return "BucketAlreadyOwnedByYou";
    case s3_errc::bucket_not_empty: return "BucketNotEmpty";
    case s3_errc::invalid_bucket_name: return "InvalidBucketName";
    case s3_errc::invalid_argument: return "InvalidArgument";
    case s3_errc::invalid_request: return "InvalidRequest";
    case s3_errc::invalid_part: return "InvalidPart";
    case s3_errc::invalid_part_order: return "InvalidPartOrder";
    case s3_errc::entity_too_small: return "EntityTooSmall";
    case s3_errc::entity_too_large: return "EntityTooLarge";
    case s3_errc::malformed_xml: return "MalformedXML";
    case s3_errc::invalid_digest: return "InvalidDigest";
    case s3_errc::bad_digest: return "BadDigest";
    case s3_errc::precondition_failed: return "PreconditionFailed";
    case s3_errc::incomplete_body: return "IncompleteBody";
    case s3_errc::key_too_long: return "KeyTooLongError";
    case s3_errc::invalid_range: return "InvalidRange";
    case s3_errc::method_not_allowed: return "MethodNotAllowed";
    case s3_errc::not_implemented: return "NotImplemented";
    case s3_errc::internal_error: return "InternalError";
  }
  return "InternalError";
}

unsigned error_status(s3_errc e) noexcept {
  switch (e) {
    case s3_errc::no_such_bucket:
    case s3_errc::no_such_key:
    case s3_errc::no_such_upload: return 404;
    case s3_errc::bucket_already_owned_by_you:
    case s3_errc::bucket_not_empty: return 409;
    case s3_errc::invalid_range: return 416;
    case s3_errc::precondition_failed: return 412;
    case s3_errc::method_not_allowed: return 405;
    case s3_errc::not_implemented: return 501;
    case s3_errc::internal_error: return 500;
    default: return 400;
  }
}

std::string error_xml(const s3_error& e, std::string_view resource, std::string_view request_id) {
  xml_writer w;
  w.open("Error");
  w.element("Code", error_code(e.code));
  w.element("Message", e.message);
  if (!e.bucket.empty()) w.element("BucketName", e.bucket);
  if (!e.key.empty()) w.element("Key", e.key);
  w.element("Resource", resource);
  w.element("RequestId", request_id);
  w.close();
  return w.finish();
}

}  // namespace lambkin::s3
