#include "emulator/io/http/aws_error.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace lambkin::io::http {

response aws_error_response(const request& req, errc e, std::string_view message) {
  boost::json::object body;
  body["__type"] = aws_error_type(e);
  body["message"] = message;
  if (is_throttle(e)) {
    body["Reason"] = throttle_reason(e);
    body["Type"] = "User";
  }
  auto res = make_response(req, static_cast<unsigned>(http_status(e)), "application/json",
                           boost::json::serialize(body));
  res.set("x-amzn-ErrorType", aws_error_type(e));
  return res;
}

response lambda_error_response(const request& req, errc e, std::string_view message, const std::string& request_id) {
  auto res = aws_error_response(req, e, message);
  if (!is_throttle(e)) {
    res.body().insert(res.body().size() - 1, R"(,"Type":"User")");
    res.prepare_payload();
  }
  res.set("x-amzn-RequestId", request_id);
  return res;
}

}  // namespace lambkin::io::http
