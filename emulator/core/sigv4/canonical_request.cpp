#include "emulator/core/sigv4/canonical_request.hpp"

#include "emulator/core/text/url.hpp"

#include <algorithm>
#include <cstdio>

namespace lambkin::sigv4 {
namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}


// Trims and collapses runs of spaces (and tabs) into one space.
std::string normalise_value(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil {
  std::int64_t y;
  unsigned m, d, hh, mm, ss;
};

civil civil_from_epoch(std::int64_t t) {
  std::int64_t days = t / 86400;
  std::int64_t rem = t % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  return {y, m, d, static_cast<unsigned>(rem / 3600), static_cast<unsigned>(rem % 3600 / 60),
          static_cast<unsigned>(rem % 60)};
}

}  // namespace


std::string uri_encode(std::string_view s, bool keep_slash) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (unreserved(c) || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

std::string canonical_uri(std::string_view raw_path, uri_style style) {
  if (raw_path.empty()) return "/";
  if (style == uri_style::standard) return uri_encode(raw_path, true);
  // S3: the path decoded once and encoded the canonical way (clients differ in what they leave
  // unescaped, e.g. `!` or `*`); a malformed escape is signed as sent.
  auto decoded = text::percent_decode(raw_path);
  return decoded ? uri_encode(*decoded, true) : std::string(raw_path);
}

std::string canonical_query(std::string_view raw_query, std::string_view skip) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!raw_query.empty()) {
    const auto amp = raw_query.find('&');
    const auto part = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view{} : raw_query.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    const auto raw_name = part.substr(0, eq);
    const auto raw_value = eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1);
    auto name = text::percent_decode(raw_name).value_or(std::string(raw_name));
    if (!skip.empty() && name == skip) continue;
    auto value = text::percent_decode(raw_value).value_or(std::string(raw_value));
    params.emplace_back(uri_encode(name, false), uri_encode(value, false));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += k;
    out += '=';
    out += v;
  }
  return out;
}

canonical_headers_result canonical_headers(const header_list& headers, const std::vector<std::string>& signed_headers) {
  canonical_headers_result r;
  for (const auto& name : signed_headers) {
    std::string joined;
    bool found = false;
    for (const auto& [k, v] : headers) {
      if (!iequals(k, name)) continue;
      if (found) joined += ',';
      joined += normalise_value(v);
      found = true;
    }
    if (!found && r.missing.empty()) r.missing = name;
    r.text += name;
    r.text += ':';
    r.text += joined;
    r.text += '\n';
  }
  return r;
}

std::string canonical_request(std::string_view method, std::string_view uri, std::string_view query,
                              std::string_view headers, std::string_view signed_headers, std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + uri.size() + query.size() + headers.size() + signed_headers.size() + 70);
  out.append(method).append("\n").append(uri).append("\n").append(query).append("\n").append(headers).append("\n");
  out.append(signed_headers).append("\n").append(payload_hash);
  return out;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request_hash) {
  std::string out = "AWS4-HMAC-SHA256\n";
  out.append(amz_date).append("\n").append(scope).append("\n").append(canonical_request_hash);
  return out;
}

std::optional<std::int64_t> parse_amz_date(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  auto num = [&](std::size_t at, std::size_t n) -> std::optional<unsigned> {
    unsigned v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    return v;
  };
  const auto y = num(0, 4), mo = num(4, 2), d = num(6, 2), h = num(9, 2), mi = num(11, 2), se = num(13, 2);
  if (!y || !mo || !d || !h || !mi || !se) return std::nullopt;
  if (*mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *se > 60) return std::nullopt;
  const auto days = days_from_civil(*y, *mo, *d);
  if (civil_from_epoch(days * 86400).d != *d) return std::nullopt;  // 20150231 and the like
  return days * 86400 + *h * 3600 + *mi * 60 + *se;
}

std::string format_amz_date(std::int64_t epoch_seconds) {
  const auto c = civil_from_epoch(epoch_seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld%02u%02uT%02u%02u%02uZ", static_cast<long long>(c.y), c.m, c.d, c.hh, c.mm, c.ss);
  return buf;
}

std::string format_iso8601(std::int64_t epoch_seconds) {
  const auto c = civil_from_epoch(epoch_seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02uZ", static_cast<long long>(c.y), c.m, c.d, c.hh, c.mm,
                c.ss);
  return buf;
}

}  // namespace lambkin::sigv4
