#pragma once
// The routes of a template's HTTP APIs and REST APIs, and which one serves a request.
//
// A route is a method (GET, …, or ANY) and a path template: literal segments, `{name}` (one
// segment), a trailing greedy `{name+}` (one or more segments), or `$default` (the catch-all of
// an HTTP API). Selection follows API Gateway's priority (most specific first):
//   1. routes without a greedy variable, then greedy routes, then `$default`;
//   2. comparing segment by segment from the left, a literal beats `{name}`, which beats
//      `{name+}` (so `/pets/dog/{id}` beats `/pets/{type}/{id}`, and `/a/b/{p+}` beats `/a/{p+}`);
//   3. the exact method beats `ANY`.
// Literal segments compare against the percent-decoded request segment; path parameter values
// are percent-decoded (API Gateway decodes request parameters before the integration sees them).
// Paths are case-sensitive; `/pets/` (an empty last segment) does not match `/pets`.
#include "lambkin/config.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambkin::http {

struct route_segment {
  enum class kind : std::uint8_t { literal, variable, greedy };
  kind type = kind::literal;
  /// The literal text, or the variable's name (without braces and `+`).
  std::string text;
};

struct route_entry {
  config::route_config config;
  std::vector<route_segment> segments;
  bool is_default = false;
  bool greedy = false;
  /// `GET /pets/{id}`, `ANY /{proxy+}` or `$default` (the event's routeKey).
  std::string route_key;
};

struct route_match {
  const route_entry* route = nullptr;
  /// In template order; empty when the route has no variables.
  std::vector<std::pair<std::string, std::string>> path_parameters;
};

/// nullopt when `path` is not a usable template (not starting with `/`, a greedy variable that is
/// not the last segment, an empty variable name).
std::optional<std::vector<route_segment>> parse_route_path(std::string_view path);

class route_table {
 public:
  /// Routes whose path does not parse are left out (the template loader reports them).
  explicit route_table(const std::vector<config::route_config>& routes);

  /// The route serving `method` on `raw_path` (no query string), or nullopt.
  std::optional<route_match> match(std::string_view method, std::string_view raw_path) const;
  /// Routes whose path template matches `raw_path`, any method (CORS preflights of REST APIs,
  /// which answer on every path that has a resource).
  std::vector<const route_entry*> routes_for_path(std::string_view raw_path) const;

  const std::vector<route_entry>& entries() const noexcept { return entries_; }
  bool empty() const noexcept { return entries_.empty(); }

 private:
  std::vector<route_entry> entries_;
};

}  // namespace lambkin::http
