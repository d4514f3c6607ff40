#include "emulator/io/http/aws_endpoint.hpp"
#include "lambkin/clock.hpp"

#include "io/http_client.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>

#include <future>

using namespace lambkin::io::http;
namespace bhttp = boost::beast::http;

namespace {
template <class F>
void serve_while(const endpoint_status& status, F client) {
  net::io_context ioc;
  const endpoint_services no_services;
  http_server server(ioc.get_executor(), "aws", make_aws_endpoint(status, no_services));
  REQUIRE_FALSE(server.listen({net::ip::make_address("127.0.0.1"), 0}));
  server.start();
  auto done = std::async(std::launch::async, [&, port = server.port()] {
    client(port);
    net::post(ioc, [&] { server.stop(); ioc.stop(); });
  });
  ioc.run();
  done.get();
}
}  // namespace

TEST_CASE("GET /_lambkin/health reports status, version and resource counts") {
  endpoint_status status;
  status.template_path = "examples/temperature/template.yaml";
  status.started = lambkin::clock::now();
  status.functions = 3;
  status.tables = 1;
  serve_while(status, [](unsigned short port) {
    lambkin::test::http_client client(port);
    auto res = client.request(bhttp::verb::get, "/_lambkin/health");
    REQUIRE(res.result_int() == 200);
    CHECK(res[bhttp::field::content_type] == "application/json");
    auto body = boost::json::parse(res.body()).as_object();
    CHECK(body.at("status") == "ok");
    CHECK(body.at("version").as_string().size() > 0);
    CHECK(body.at("template") == "examples/temperature/template.yaml");
    CHECK(body.at("resources").at("functions") == 3);
    CHECK(body.at("resources").at("tables") == 1);
    CHECK(body.at("uptime_ms").as_int64() >= 0);
  });
}

TEST_CASE("requests lambkin does not emulate get UnknownOperationException in AWS's error shape") {
  endpoint_status status;
  serve_while(status, [](unsigned short port) {
    lambkin::test::http_client client(port);
    auto res = client.request(bhttp::verb::post, "/2015-03-31/functions/x/invocations?Qualifier=1", "{}");
    CHECK(res.result_int() == 400);
    CHECK(res["x-amzn-ErrorType"] == "UnknownOperationException");
    auto body = boost::json::parse(res.body()).as_object();
    CHECK(body.at("__type") == "UnknownOperationException");
    CHECK(body.at("message") == "lambkin does not emulate POST /2015-03-31/functions/x/invocations");
    auto wrong_method = client.request(bhttp::verb::delete_, "/_lambkin/health");
    CHECK(wrong_method.result_int() == 400);
  });
}
