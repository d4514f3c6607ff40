#pragma once
// s3_api's private parts, shared by its source files: one request's context and answers.
#include "emulator/core/s3/s3_request.hpp"
#include "emulator/io/s3/s3_api.hpp"
#include "emulator/io/s3/s3_service.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace lambkin::io::s3 {

namespace core = lambkin::s3;
inline constexpr std::string_view s3_xmlns = "http://s3.amazonaws.com/doc/2006-03-01/";

struct call {
  const http::request& req;
  s3_service& service;
  core::s3_request s3;
  std::string request_id;

  /// A request header, empty when absent.
  std::string_view header(std::string_view name) const;
  /// S3's XML error (no body for HEAD).
  http::response error(const core::s3_error& e) const;
  http::response error(core::s3_errc code, std::string message) const;
  /// NoSuchBucket unless the bucket exists.
  std::optional<http::response> require_bucket() const;
  /// An XML document with status 200.
  http::response xml(std::string body, unsigned status = 200) const;
  /// An empty answer (204 for deletes, 200 otherwise).
  http::response empty(unsigned status) const;
  /// The body, aws-chunked decoded when it is; an error answer in `failed` otherwise.
  std::optional<std::string> payload(http::response& failed) const;
  /// Object headers to store from the request: Content-Encoding, Cache-Control,
  /// Content-Disposition, Content-Language, Expires, x-amz-meta-*.
  header_list stored_headers() const;
  /// The change record for notifications.
  core::object_change change(std::string event, const object_info* o) const;
  epoch_ms now() const;
};

http::response list_buckets(call& c);
http::response create_bucket(call& c);
http::response delete_bucket(call& c);
http::response head_bucket(call& c);
http::response bucket_location(call& c);
http::response list_objects(call& c, bool v2);
http::response delete_objects(call& c);

http::response put_object(call& c);
http::response copy_object(call& c);
http::response get_object(call& c, bool head);
http::response delete_object(call& c);

http::response create_upload(call& c);
http::response upload_part(call& c);
http::response complete_upload(call& c);
http::response abort_upload(call& c);

/// `Wed, 12 Oct 2009 17:50:00 GMT`.
std::string http_date(epoch_ms t);

}  // namespace lambkin::io::s3
