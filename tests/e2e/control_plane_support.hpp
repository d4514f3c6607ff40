#pragma once
// Test support for the control-plane e2e suites: templates of test functions, and checks of the
// Lambda API's answers (status, `x-amzn-RequestId`, `x-amzn-ErrorType`, AWS's error bodies).
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <string>
#include <vector>

namespace lambkin::test::control_plane {

namespace bhttp = boost::beast::http;

inline const std::string data = std::string(LAMBKIN_TEST_DATA_DIR) + "/functions/";
inline const std::string arn_prefix = "arn:aws:lambda:us-east-1:123456789012:function:";

using lambkin::test::fn;
using lambkin::test::template_for;

/// `Env`: tests/data/functions/node-env, GREETING=one unless `extra` says otherwise.
inline fn env_fn(const std::string& extra = "      Environment:\n        Variables:\n          GREETING: one\n") {
  return {"Env", "nodejs20.x", "index.handler", data + "node-env", extra};
}

inline boost::json::object json_of(const std::string& body) { return boost::json::parse(body).as_object(); }
inline std::string str(const boost::json::value& v) { return std::string(v.as_string()); }

/// The answer's body as JSON, after checking its status and request id.
inline boost::json::object expect(const bhttp::response<bhttp::string_body>& res, unsigned status) {
  INFO(res.body());
  REQUIRE(res.result_int() == status);
  CHECK(res.find("x-amzn-RequestId") != res.end());
  return res.body().empty() ? boost::json::object{} : json_of(res.body());
}

/// An AWS error answer: status, `x-amzn-ErrorType`, `"Type":"User"`; returns the message.
inline std::string expect_error(const bhttp::response<bhttp::string_body>& res, unsigned status,
                                const std::string& type) {
  INFO(res.body());
  CHECK(res.result_int() == status);
  CHECK(res["x-amzn-ErrorType"] == type);
  const auto body = json_of(res.body());
  CHECK(body.at("Type") == "User");
  return str(body.at("message"));
}

}  // namespace lambkin::test::control_plane
