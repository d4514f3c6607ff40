#include "emulator/core/s3/s3_request.hpp"

#include "emulator/core/text/url.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace lambkin::s3 {
namespace {

// Sub-resources of the S3 API that lambkin does not emulate: answered NotImplemented rather than
// mistaken for the plain operation on the same path.
constexpr std::array<std::string_view, 30> unsupported_subresources{
    "accelerate", "acl",       "analytics", "attributes", "cors",    "encryption",     "intelligent-tiering",
    "inventory",  "legal-hold", "lifecycle", "logging",   "metrics",  "notification",   "object-lock",
    "ownershipControls", "policy", "policyStatus", "publicAccessBlock", "replication", "requestPayment",
    "restore",    "retention", "select",     "tagging",   "torrent",  "versioning",     "versions",
    "website",    "uploads",   "session"};

bool has(const std::vector<std::pair<std::string, std::string>>& q, std::string_view k) {
  return std::any_of(q.begin(), q.end(), [&](const auto& p) { return p.first == k; });
}

std::optional<std::string_view> unsupported(const std::vector<std::pair<std::string, std::string>>& q,
                                            std::string_view except = {}) {
  for (const auto& [k, v] : q)
    if (k != except && std::find(unsupported_subresources.begin(), unsupported_subresources.end(), k) !=
                           unsupported_subresources.end())
      return k;
  return std::nullopt;
}

s3_error not_implemented(std::string_view method, std::string_view what) {
  return {s3_errc::not_implemented,
          "lambkin does not emulate " + std::string(method) + " ?" + std::string(what) +
              " (S3 operations: buckets, objects, listing, copy, multipart upload)",
          {},
          {}};
}

}  // namespace

std::string_view operation_name(s3_operation op) noexcept {
  switch (op) {
    case s3_operation::list_buckets: return "ListBuckets";
    case s3_operation::create_bucket: return "CreateBucket";
    case s3_operation::delete_bucket: return "DeleteBucket";
    case s3_operation::head_bucket: return "HeadBucket";
    case s3_operation::get_bucket_location: return "GetBucketLocation";
    case s3_operation::list_objects: return "ListObjects";
    case s3_operation::list_objects_v2: return "ListObjectsV2";
    case s3_operation::delete_objects: return "DeleteObjects";
    case s3_operation::put_object: return "PutObject";
    case s3_operation::copy_object: return "CopyObject";
    case s3_operation::get_object: return "GetObject";
    case s3_operation::head_object: return "HeadObject";
    case s3_operation::delete_object: return "DeleteObject";
    case s3_operation::create_multipart_upload: return "CreateMultipartUpload";
    case s3_operation::upload_part: return "UploadPart";
    case s3_operation::complete_multipart_upload: return "CompleteMultipartUpload";
    case s3_operation::abort_multipart_upload: return "AbortMultipartUpload";
  }
  return "";
}

std::optional<std::string> s3_request::param(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

std::variant<s3_request, s3_error> classify(const request_head& head) {
  s3_request r;
  const auto [raw_path, raw_query] = text::split_target(head.target);
  r.query = text::parse_query(raw_query);
  auto path = text::percent_decode(raw_path);
  if (!path) return s3_error{s3_errc::invalid_argument, "the request path has a malformed percent-escape", {}, {}};
  std::string_view rest = *path;
  if (rest.starts_with('/')) rest.remove_prefix(1);
  r.bucket = virtual_host_bucket(head.host);
  if (r.bucket.empty()) {
    const auto slash = rest.find('/');
    r.bucket = std::string(rest.substr(0, slash));
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  }
  r.key = std::string(rest);
  const std::string_view m = head.method;

  if (r.bucket.empty()) {  // the service
    if (m == "GET") return r;  // list_buckets
    return s3_error{s3_errc::method_not_allowed, "The specified method is not allowed against this resource.", {}, {}};
  }
  if (r.key.size() > 1024)
    return s3_error{s3_errc::key_too_long, "Your key is too long", r.bucket, {}};

  if (r.key.empty()) {  // the bucket
    if (m == "PUT") {
      if (auto s = unsupported(r.query)) return not_implemented(m, *s);
      r.op = s3_operation::create_bucket;
    } else if (m == "DELETE") {
      if (auto s = unsupported(r.query)) return not_implemented(m, *s);
      r.op = s3_operation::delete_bucket;
    } else if (m == "HEAD") {
      r.op = s3_operation::head_bucket;
    } else if (m == "GET") {
      if (has(r.query, "location")) {
        r.op = s3_operation::get_bucket_location;
      } else if (auto s = unsupported(r.query)) {
        return not_implemented(m, *s);
      } else {
        r.op = r.param("list-type") == "2" ? s3_operation::list_objects_v2 : s3_operation::list_objects;
      }
    } else if (m == "POST" && has(r.query, "delete")) {
      r.op = s3_operation::delete_objects;
    } else {
      return s3_error{s3_errc::method_not_allowed, "The specified method is not allowed against this resource.",
                      r.bucket, {}};
    }
    return r;
  }

  // an object
  const bool upload = has(r.query, "uploadId");
  if (m == "PUT") {
    if (auto s = unsupported(r.query)) return not_implemented(m, *s);
    if (upload || has(r.query, "partNumber")) {
      if (!upload || !has(r.query, "partNumber"))
        return s3_error{s3_errc::invalid_request, "UploadPart needs both partNumber and uploadId", r.bucket, r.key};
      if (head.has_copy_source) return not_implemented(m, "partNumber&uploadId with x-amz-copy-source (UploadPartCopy)");
      r.op = s3_operation::upload_part;
    } else {
      r.op = head.has_copy_source ? s3_operation::copy_object : s3_operation::put_object;
    }
  } else if (m == "GET" || m == "HEAD") {
    if (auto s = unsupported(r.query)) return not_implemented(m, *s);
    if (upload) return not_implemented(m, "uploadId (ListParts)");
    r.op = m == "GET" ? s3_operation::get_object : s3_operation::head_object;
  } else if (m == "DELETE") {
    if (auto s = unsupported(r.query)) return not_implemented(m, *s);
    r.op = upload ? s3_operation::abort_multipart_upload : s3_operation::delete_object;
  } else if (m == "POST") {
    if (has(r.query, "uploads")) {
      r.op = s3_operation::create_multipart_upload;
    } else if (upload) {
      r.op = s3_operation::complete_multipart_upload;
    } else if (auto s = unsupported(r.query)) {
      return not_implemented(m, *s);
    } else {
      return not_implemented(m, "(POST object uploads from HTML forms)");
    }
  } else {
    return s3_error{s3_errc::method_not_allowed, "The specified method is not allowed against this resource.", r.bucket,
                    r.key};
  }
  return r;
}

std::string signed_service(std::string_view authorization, std::string_view query) {
  // Credential=AKID/DATE/REGION/SERVICE/aws4_request
  auto service_of = [](std::string_view credential) -> std::string {
    const auto end = credential.find("/aws4_request");
    if (end == std::string_view::npos) return {};
    credential = credential.substr(0, end);
    const auto slash = credential.rfind('/');
    if (slash == std::string_view::npos) return {};
    return std::string(credential.substr(slash + 1));
  };
  // Signature Version 2 (`AWS AKID:signature`; the AWS SDK for JavaScript v2 may still sign S3
  // requests so): only S3 takes it.
  if (authorization.starts_with("AWS ")) return "s3";
  if (authorization.starts_with("AWS4-HMAC-SHA256")) {
    const auto c = authorization.find("Credential=");
    if (c != std::string_view::npos) {
      auto cred = authorization.substr(c + 11);
      cred = cred.substr(0, cred.find(','));
      return service_of(cred);
    }
  }
  for (const auto& [k, v] : text::parse_query(query))
    if (k == "X-Amz-Credential") return service_of(v);
  return {};
}

std::string virtual_host_bucket(std::string_view host) {
  if (host.starts_with('[')) return {};  // an IPv6 literal
  host = host.substr(0, host.find(':'));
  std::string h(host);
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  constexpr std::string_view suffix = ".localhost";
  if (!h.ends_with(suffix) || h.size() == suffix.size()) return {};
  h.resize(h.size() - suffix.size());
  if (h.ends_with(".s3")) h.resize(h.size() - 3);
  if (h == "s3") return {};
  return h;
}

std::optional<std::string> bucket_name_problem(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return "a bucket name is 3 to 63 characters long";
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
      return "a bucket name has only lowercase letters, digits, dots and hyphens";
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front()) || !alnum(name.back())) return "a bucket name begins and ends with a letter or digit";
  if (name.find("..") != std::string_view::npos) return "a bucket name has no two adjacent dots";
  int dots = 0;
  bool digits_and_dots = true;
  for (char c : name) {
    if (c == '.') ++dots;
    else if (!(c >= '0' && c <= '9')) digits_and_dots = false;
  }
  if (digits_and_dots && dots == 3) return "a bucket name is not formatted as an IP address";
  return std::nullopt;
}

}  // namespace lambkin::s3
