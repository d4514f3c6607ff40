#include "emulator/core/http/route_table.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::http;

namespace {

config::route_config route(std::string method, std::string path, std::string function = "F") {
  config::route_config r;
  r.api_id = "ServerlessHttpApi";
  r.method = std::move(method);
  r.path = std::move(path);
  r.function = function_name{std::move(function)};
  return r;
}

/// The route key serving `method path`, or "none".
std::string served(const route_table& t, std::string_view method, std::string_view path) {
  auto m = t.match(method, path);
  return m ? m->route->route_key : "none";
}

}  // namespace

TEST_CASE("parse_route_path reads literals, variables and a trailing greedy variable") {
  auto s = parse_route_path("/pets/{id}/{proxy+}");
  REQUIRE(s);
  REQUIRE(s->size() == 3);
  CHECK((*s)[0].type == route_segment::kind::literal);
  CHECK((*s)[0].text == "pets");
  CHECK((*s)[1].type == route_segment::kind::variable);
  CHECK((*s)[1].text == "id");
  CHECK((*s)[2].type == route_segment::kind::greedy);
  CHECK((*s)[2].text == "proxy");
  CHECK(parse_route_path("/")->empty());
  CHECK_FALSE(parse_route_path("pets"));
  CHECK_FALSE(parse_route_path("/{proxy+}/more"));
  CHECK_FALSE(parse_route_path("/{}"));
}

TEST_CASE("a full match beats a greedy route, which beats $default") {
  route_table t({route("ANY", "$default"), route("GET", "/pets/{proxy+}"), route("GET", "/pets/dog/{id}"),
                 route("GET", "/pets/dog/1"), route("ANY", "/{proxy+}")});
  CHECK(served(t, "GET", "/pets/dog/1") == "GET /pets/dog/1");
  CHECK(served(t, "GET", "/pets/dog/2") == "GET /pets/dog/{id}");
  CHECK(served(t, "GET", "/pets/cat/2") == "GET /pets/{proxy+}");
  CHECK(served(t, "GET", "/pets/dog/2/toys") == "GET /pets/{proxy+}");
  CHECK(served(t, "POST", "/pets/dog/1") == "ANY /{proxy+}");
  CHECK(served(t, "GET", "/") == "$default");
}

TEST_CASE("a literal segment beats a variable at the first difference from the left") {
  route_table t({route("GET", "/pets/{type}/{id}"), route("GET", "/pets/dog/{id}"), route("GET", "/{a}/cat/{id}")});
  CHECK(served(t, "GET", "/pets/dog/7") == "GET /pets/dog/{id}");
  CHECK(served(t, "GET", "/pets/cat/7") == "GET /pets/{type}/{id}");
  CHECK(served(t, "GET", "/toys/cat/7") == "GET /{a}/cat/{id}");
}

TEST_CASE("the longer greedy prefix wins and the exact method beats ANY") {
  route_table t({route("ANY", "/{proxy+}"), route("ANY", "/api/{proxy+}"), route("GET", "/api/{proxy+}"),
                 route("ANY", "/items"), route("GET", "/items")});
  CHECK(served(t, "GET", "/api/v1/x") == "GET /api/{proxy+}");
  CHECK(served(t, "DELETE", "/api/v1/x") == "ANY /api/{proxy+}");
  CHECK(served(t, "GET", "/other") == "ANY /{proxy+}");
  CHECK(served(t, "GET", "/items") == "GET /items");
  CHECK(served(t, "PUT", "/items") == "ANY /items");
}

TEST_CASE("no route, no $default: no match") {
  route_table t({route("GET", "/items"), route("POST", "/items/{id}")});
  CHECK(served(t, "GET", "/items/1") == "none");
  CHECK(served(t, "POST", "/items/") == "none");
  CHECK(served(t, "GET", "/items/") == "none");
  CHECK(served(t, "GET", "/Items") == "none");
  CHECK(served(t, "HEAD", "/items") == "none");
  CHECK(served(t, "GET", "*") == "none");
}

TEST_CASE("greedy variables need at least one segment") {
  route_table t({route("GET", "/{proxy+}"), route("GET", "/files/{path+}")});
  CHECK(served(t, "GET", "/") == "none");
  CHECK(served(t, "GET", "/files") == "GET /{proxy+}");
  CHECK(served(t, "GET", "/files/") == "GET /{proxy+}");
  CHECK(served(t, "GET", "/files/a") == "GET /files/{path+}");
}

TEST_CASE("path parameters are percent-decoded, greedy ones keep their slashes") {
  route_table t({route("GET", "/users/{user}/files/{path+}"), route("GET", "/caf\xC3\xA9/{id}")});
  auto m = t.match("GET", "/users/a%20b/files/x/y%2Fz.txt");
  REQUIRE(m);
  REQUIRE(m->path_parameters.size() == 2);
  CHECK(m->path_parameters[0] == std::pair<std::string, std::string>{"user", "a b"});
  CHECK(m->path_parameters[1] == std::pair<std::string, std::string>{"path", "x/y/z.txt"});
  auto literal = t.match("GET", "/caf%C3%A9/1");
  REQUIRE(literal);
  CHECK(literal->route->config.path == "/caf\xC3\xA9/{id}");
}

TEST_CASE("routes_for_path lists every route on a path, whatever the method") {
  route_table t({route("GET", "/items"), route("POST", "/items"), route("GET", "/items/{id}"), route("ANY", "$default")});
  CHECK(t.routes_for_path("/items").size() == 2);
  CHECK(t.routes_for_path("/items/3").size() == 1);
  CHECK(t.routes_for_path("/nothing").empty());
}

TEST_CASE("unusable route paths are left out") {
  route_table t({route("GET", "/{proxy+}/x"), route("GET", "/ok")});
  CHECK(t.entries().size() == 1);
}
