#include "emulator/core/http/route_table.hpp"

#include "emulator/core/text/url.hpp"

#include <algorithm>
#include <tuple>

namespace lambkin::http {
namespace {

/// `/a/b/` → {"a","b",""}; `/` → {}.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  if (path.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    const auto slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

std::string decoded(std::string_view s) {
  auto d = text::percent_decode(s);
  return d ? std::move(*d) : std::string(s);
}

/// Where a candidate ranks; smaller is more specific.
struct rank {
  int tier = 0;  // 0: no greedy variable, 1: greedy, 2: $default
  std::vector<int> kinds;
  int any_method = 0;

  bool operator<(const rank& o) const {
    return std::tie(tier, kinds, any_method) < std::tie(o.tier, o.kinds, o.any_method);
  }
};

rank rank_of(const route_entry& e) {
  rank r;
  r.tier = e.is_default ? 2 : e.greedy ? 1 : 0;
  for (const auto& s : e.segments) r.kinds.push_back(static_cast<int>(s.type));
  r.any_method = e.config.method == "ANY" ? 1 : 0;
  return r;
}

/// The path parameters when `e`'s template matches `segments`, nullopt otherwise.
std::optional<std::vector<std::pair<std::string, std::string>>> match_path(const route_entry& e,
                                                                             const std::vector<std::string_view>& segments) {
  std::vector<std::pair<std::string, std::string>> params;
  if (e.is_default) return params;
  const auto& t = e.segments;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].type == route_segment::kind::greedy) {
      if (i >= segments.size()) return std::nullopt;
      std::string rest;
      for (std::size_t k = i; k < segments.size(); ++k) {
        if (k > i) rest += '/';
        rest += decoded(segments[k]);
      }
      if (rest.empty()) return std::nullopt;
      params.emplace_back(t[i].text, std::move(rest));
      return params;
    }
    if (i >= segments.size()) return std::nullopt;
    if (t[i].type == route_segment::kind::variable) {
      if (segments[i].empty()) return std::nullopt;
      params.emplace_back(t[i].text, decoded(segments[i]));
    } else if (decoded(segments[i]) != t[i].text) {
      return std::nullopt;
    }
  }
  if (t.size() != segments.size()) return std::nullopt;
  return params;
}

}  // namespace

std::optional<std::vector<route_segment>> parse_route_path(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::vector<route_segment> out;
  const auto parts = split_path(path);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto p = parts[i];
    route_segment seg;
    if (p.size() >= 2 && p.front() == '{' && p.back() == '}') {
      auto name = p.substr(1, p.size() - 2);
      seg.type = route_segment::kind::variable;
      if (!name.empty() && name.back() == '+') {
        if (i + 1 != parts.size()) return std::nullopt;
        seg.type = route_segment::kind::greedy;
        name.remove_suffix(1);
      }
      if (name.empty()) return std::nullopt;
      seg.text = std::string(name);
    } else {
      seg.text = std::string(p);
    }
    out.push_back(std::move(seg));
  }
  return out;
}

route_table::route_table(const std::vector<config::route_config>& routes) {
  for (const auto& r : routes) {
    route_entry e;
    e.config = r;
    if (r.path == "$default") {
      e.is_default = true;
      e.route_key = "$default";
    } else {
      auto segments = parse_route_path(r.path);
      if (!segments) continue;
      e.segments = std::move(*segments);
      e.greedy = !e.segments.empty() && e.segments.back().type == route_segment::kind::greedy;
      e.route_key = r.method + " " + r.path;
    }
    entries_.push_back(std::move(e));
  }
}

std::optional<route_match> route_table::match(std::string_view method, std::string_view raw_path) const {
  if (raw_path.empty() || raw_path.front() != '/') return std::nullopt;
  const auto segments = split_path(raw_path);
  std::optional<route_match> best;
  rank best_rank;
  for (const auto& e : entries_) {
    if (e.config.method != "ANY" && e.config.method != method) continue;
    auto params = match_path(e, segments);
    if (!params) continue;
    auto r = rank_of(e);
    if (!best || r < best_rank) {
      best = route_match{&e, std::move(*params)};
      best_rank = std::move(r);
    }
  }
  return best;
}

std::vector<const route_entry*> route_table::routes_for_path(std::string_view raw_path) const {
  const auto segments = split_path(raw_path);
  std::vector<const route_entry*> out;
  for (const auto& e : entries_)
    if (!e.is_default && match_path(e, segments)) out.push_back(&e);
  return out;
}

}  // namespace lambkin::http
