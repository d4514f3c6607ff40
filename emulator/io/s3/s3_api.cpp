#include "emulator/io/s3/s3_api.hpp"

#include "emulator/core/lambda/wall_time.hpp"
#include "emulator/core/s3/aws_chunked.hpp"
#include "emulator/core/s3/xml.hpp"
#include "emulator/io/log.hpp"
#include "emulator/io/s3/s3_api_detail.hpp"
#include "emulator/io/store/sqlite_db.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>

namespace lambkin::io::s3 {
namespace bhttp = boost::beast::http;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

http::response dispatch(call& c) {
  using op = core::s3_operation;
  switch (c.s3.op) {
    case op::list_buckets: return list_buckets(c);
    case op::create_bucket: return create_bucket(c);
    case op::delete_bucket: return delete_bucket(c);
    case op::head_bucket: return head_bucket(c);
    case op::get_bucket_location: return bucket_location(c);
    case op::list_objects: return list_objects(c, false);
    case op::list_objects_v2: return list_objects(c, true);
    case op::delete_objects: return delete_objects(c);
    case op::put_object: return put_object(c);
    case op::copy_object: return copy_object(c);
    case op::get_object: return get_object(c, false);
    case op::head_object: return get_object(c, true);
    case op::delete_object: return delete_object(c);
    case op::create_multipart_upload: return create_upload(c);
    case op::upload_part: return upload_part(c);
    case op::complete_multipart_upload: return complete_upload(c);
    case op::abort_multipart_upload: return abort_upload(c);
  }
  return c.error(core::s3_errc::not_implemented, "unknown operation");
}

http::response bare_error(const http::request& req, const core::s3_error& e, const std::string& request_id) {
  const auto target = std::string_view(req.target().data(), req.target().size());
  auto res = http::make_response(req, core::error_status(e.code), "application/xml",
                                 req.method() == bhttp::verb::head
                                     ? std::string()
                                     : core::error_xml(e, target.substr(0, target.find('?')), request_id));
  res.set("x-amz-request-id", request_id);
  res.set("x-amz-id-2", "lambkin/" + request_id);
  return res;
}

}  // namespace

std::string http_date(epoch_ms t) {
  static constexpr const char* days[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto c = lambkin::lambda::to_civil(t);
  std::int64_t day_number = t >= 0 ? t / 86400000 : -((-t + 86399999) / 86400000);
  const auto weekday = static_cast<std::size_t>(((day_number % 7) + 7) % 7);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04lld %02u:%02u:%02u GMT", days[weekday], c.day, months[c.month - 1],
                static_cast<long long>(c.year), c.hour, c.minute, c.second);
  return buf;
}

std::string_view call::header(std::string_view name) const {
  auto it = req.find(name);
  return it == req.end() ? std::string_view{} : std::string_view(it->value().data(), it->value().size());
}

http::response call::error(const core::s3_error& e) const { return bare_error(req, e, request_id); }

http::response call::error(core::s3_errc code, std::string message) const {
  return error(core::s3_error{code, std::move(message), s3.bucket, s3.key});
}

std::optional<http::response> call::require_bucket() const {
  if (service.store().find_bucket(s3.bucket)) return std::nullopt;
  return error(core::s3_error{core::s3_errc::no_such_bucket, "The specified bucket does not exist", s3.bucket, {}});
}

http::response call::xml(std::string body, unsigned status) const {
  auto res = http::make_response(req, status, "application/xml", std::move(body));
  res.set("x-amz-request-id", request_id);
  res.set("x-amz-id-2", "lambkin/" + request_id);
  return res;
}

http::response call::empty(unsigned status) const {
  auto res = http::make_response(req, status, "application/xml", {});
  res.erase(bhttp::field::content_type);
  res.set("x-amz-request-id", request_id);
  res.set("x-amz-id-2", "lambkin/" + request_id);
  return res;
}

std::optional<std::string> call::payload(http::response& failed) const {
  if (!core::is_aws_chunked(header("x-amz-content-sha256"), header("content-encoding"))) return req.body();
  std::optional<std::uint64_t> decoded;
  if (auto d = header("x-amz-decoded-content-length"); !d.empty()) {
    std::uint64_t v = 0;
    if (std::from_chars(d.data(), d.data() + d.size(), v).ec == std::errc{}) decoded = v;
  }
  auto r = core::decode_aws_chunked(req.body(), decoded);
  if (auto* e = std::get_if<core::s3_error>(&r)) {
    failed = error(*e);
    return std::nullopt;
  }
  return std::move(std::get<core::decoded_body>(r).payload);
}

header_list call::stored_headers() const {
  header_list out;
  for (const auto& f : req) {
    const std::string name = lower(std::string_view(f.name_string().data(), f.name_string().size()));
    std::string value(f.value().data(), f.value().size());
    if (name == "content-encoding") {
      value = core::strip_aws_chunked(value);
      if (value.empty()) continue;
    } else if (!(name == "cache-control" || name == "content-disposition" || name == "content-language" ||
                 name == "expires" || name.starts_with("x-amz-meta-"))) {
      continue;
    }
    out.emplace_back(name, std::move(value));
  }
  return out;
}

core::object_change call::change(std::string event, const object_info* o) const {
  core::object_change ch;
  ch.event_name = std::move(event);
  ch.bucket = s3.bucket;
  ch.key = o ? o->key : s3.key;
  if (o) {
    ch.size = o->size;
    ch.etag = std::string(core::unquote_etag(o->etag));
  }
  ch.request_id = request_id;
  return ch;
}

epoch_ms call::now() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool is_s3_request(const http::request& req) {
  const auto target = std::string_view(req.target().data(), req.target().size());
  const auto q = target.find('?');
  const auto auth = req[bhttp::field::authorization];
  if (core::signed_service(std::string_view(auth.data(), auth.size()),
                           q == std::string_view::npos ? std::string_view{} : target.substr(q + 1)) == "s3")
    return true;
  const auto host = req[bhttp::field::host];
  return !core::virtual_host_bucket(std::string_view(host.data(), host.size())).empty();
}

http::response handle_s3(s3_service& service, const http::request& req) {
  const std::string request_id = service.next_request_id();
  const auto host = req[bhttp::field::host];
  core::request_head head{std::string_view(req.method_string().data(), req.method_string().size()),
                          std::string_view(host.data(), host.size()),
                          std::string_view(req.target().data(), req.target().size()),
                          req.find("x-amz-copy-source") != req.end()};
  auto classified = core::classify(head);
  if (auto* e = std::get_if<core::s3_error>(&classified)) return bare_error(req, *e, request_id);
  call c{req, service, std::move(std::get<core::s3_request>(classified)), request_id};
  try {
    return dispatch(c);
  } catch (const std::exception& e) {  // SQLite or the disk failing: unexpected, but answered
    logger("s3")->error("{} {}: {}", core::operation_name(c.s3.op), head.target, e.what());
    return c.error(core::s3_errc::internal_error, "We encountered an internal error. Please try again.");
  }
}

http::response entity_too_large(const http::request& head) {
  return bare_error(head,
                    core::s3_error{core::s3_errc::entity_too_large,
                                   "Your proposed upload exceeds the maximum allowed size (lambkin takes " +
                                       std::to_string(max_put_size) + " bytes in one request)",
                                   {}, {}},
                    "0000000000000000");
}

}  // namespace lambkin::io::s3
