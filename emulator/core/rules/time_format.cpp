#include "emulator/core/rules/time_format.hpp"

#include "emulator/core/text/ascii.hpp"

#include <array>
#include <cstdio>

namespace lambkin::rules::detail {
namespace {

using text::iequals;

constexpr std::array<std::string_view, 12> month_names = {"January", "February", "March",     "April",   "May",      "June",
                                                          "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> day_names = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                                       "Friday", "Saturday", "Sunday"};
constexpr std::int64_t ms_per_day = 86'400'000;

bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool digit(char c) { return c >= '0' && c <= '9'; }

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string padded(std::int64_t v, std::size_t width) {
  std::string s = std::to_string(v < 0 ? -v : v);
  if (s.size() < width) s.insert(0, width - s.size(), '0');
  return v < 0 ? "-" + s : s;
}

std::string offset_text(int seconds, bool colon) {
  const char sign = seconds < 0 ? '-' : '+';
  const int a = seconds < 0 ? -seconds : seconds;
  return std::string(1, sign) + padded(a / 3600, 2) + (colon ? ":" : "") + padded(a / 60 % 60, 2);
}

// "+hh", "+hhmm", "+hh:mm" (and '-'); the whole string.
std::optional<int> parse_offset(std::string_view s) {
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-') || !digit(s[1]) || !digit(s[2])) return std::nullopt;
  int h = (s[1] - '0') * 10 + (s[2] - '0');
  int m = 0;
  std::string_view rest = s.substr(3);
  if (!rest.empty() && rest[0] == ':') rest.remove_prefix(1);
  if (rest.size() == 2 && digit(rest[0]) && digit(rest[1])) m = (rest[0] - '0') * 10 + (rest[1] - '0');
  else if (!rest.empty()) return std::nullopt;
  if (h > 18 || m > 59) return std::nullopt;
  return (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
}


}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = floor_div(y, 400);
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = floor_div(z, 146097);
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

std::optional<fixed_zone> parse_zone(std::string_view id) {
  for (std::string_view utc : {"UTC", "GMT", "UT", "Z", "Zulu", "Etc/UTC", "Etc/GMT", "Etc/Zulu", "Universal"})
    if (iequals(id, utc)) return fixed_zone{0, "UTC"};
  for (std::string_view prefix : {"UTC", "GMT", "UT"}) {
    if (id.size() > prefix.size() && iequals(id.substr(0, prefix.size()), prefix) &&
        (id[prefix.size()] == '+' || id[prefix.size()] == '-')) {
      id.remove_prefix(prefix.size());
      break;
    }
  }
  auto off = parse_offset(id);
  if (!off) return std::nullopt;
  if (*off == 0) return fixed_zone{0, "UTC"};
  return fixed_zone{*off, offset_text(*off, true)};
}

std::optional<std::string> format_time(std::string_view p, std::int64_t epoch_ms, const fixed_zone& zone) {
  const std::int64_t local = epoch_ms + static_cast<std::int64_t>(zone.offset_seconds) * 1000;
  const std::int64_t days = floor_div(local, ms_per_day);
  const std::int64_t ms_of_day = local - days * ms_per_day;
  std::int64_t year;
  unsigned month, day;
  civil_from_days(days, year, month, day);
  const std::int64_t hour = ms_of_day / 3'600'000, minute = ms_of_day / 60'000 % 60, second = ms_of_day / 1000 % 60;
  const std::int64_t millis = ms_of_day % 1000;
  const auto weekday = static_cast<std::size_t>(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
  const std::int64_t day_of_year = days - days_from_civil(year, 1, 1) + 1;

  std::string out;
  for (std::size_t i = 0; i < p.size();) {
    const char c = p[i];
    if (c == '\'') {  // quoted text; '' is a quote
      std::size_t j = i + 1;
      if (j < p.size() && p[j] == '\'') {
        out += '\'';
        i = j + 1;
        continue;
      }
      while (j < p.size()) {
        if (p[j] == '\'') {
          if (j + 1 < p.size() && p[j + 1] == '\'') {
            out += '\'';
            j += 2;
            continue;
          }
          break;
        }
        out += p[j++];
      }
      i = j + 1;
      continue;
    }
    if (!letter(c)) {
      out += c;
      ++i;
      continue;
    }
    std::size_t n = 1;
    while (i + n < p.size() && p[i + n] == c) ++n;
    i += n;
    switch (c) {
      case 'G': out += year > 0 ? "AD" : "BC"; break;
      case 'y':
      case 'Y':
      case 'u': {
        const std::int64_t y = (c == 'u' || year > 0) ? year : 1 - year;
        out += n == 2 ? padded(((y % 100) + 100) % 100, 2) : padded(y, n);
        break;
      }
      case 'M':
        if (n >= 4) out += month_names[month - 1];
        else if (n == 3) out += month_names[month - 1].substr(0, 3);
        else out += padded(month, n);
        break;
      case 'd': out += padded(day, n); break;
      case 'D': out += padded(day_of_year, n); break;
      case 'E': out += n >= 4 ? day_names[weekday] : day_names[weekday].substr(0, 3); break;
      case 'e': out += padded(static_cast<std::int64_t>(weekday) + 1, n); break;
      case 'a': out += hour < 12 ? "AM" : "PM"; break;
      case 'H': out += padded(hour, n); break;
      case 'k': out += padded(hour == 0 ? 24 : hour, n); break;
      case 'K': out += padded(hour % 12, n); break;
      case 'h': out += padded(hour % 12 == 0 ? 12 : hour % 12, n); break;
      case 'm': out += padded(minute, n); break;
      case 's': out += padded(second, n); break;
      case 'S': {
        std::string frac = padded(millis, 3);
        frac.resize(n, '0');
        out += frac;
        break;
      }
      case 'z':
        out += (n >= 4 && zone.offset_seconds == 0) ? "Coordinated Universal Time" : zone.name;
        break;
      case 'Z':
        if (n >= 3) out += zone.offset_seconds == 0 ? "UTC" : zone.name;
        else out += offset_text(zone.offset_seconds, n == 2);
        break;
      default: return std::nullopt;
    }
  }
  return out;
}

namespace {

struct parsed_fields {
  std::int64_t year = 1970;
  unsigned month = 1, day = 1;
  int hour = 0, minute = 0, second = 0, millis = 0;
  int pm = -1;  // -1: no AM/PM field
  bool clock12 = false;
  int offset = 0;
};

class time_parser {
 public:
  explicit time_parser(std::string_view text) : t_(text) {}

  bool at_end() const { return i_ == t_.size(); }

  bool literal(char c) {
    if (i_ < t_.size() && t_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }

  std::optional<std::int64_t> number(std::size_t min_digits, std::size_t max_digits, bool sign = false) {
    std::size_t j = i_;
    bool neg = false;
    if (sign && j < t_.size() && (t_[j] == '-' || t_[j] == '+')) neg = t_[j++] == '-';
    const std::size_t start = j;
    std::int64_t v = 0;
    while (j < t_.size() && digit(t_[j]) && j - start < max_digits) v = v * 10 + (t_[j++] - '0');
    if (j - start < min_digits) return std::nullopt;
    i_ = j;
    return neg ? -v : v;
  }

  template <std::size_t N>
  std::optional<std::size_t> name(const std::array<std::string_view, N>& names, bool short_form) {
    for (std::size_t k = 0; k < N; ++k) {
      const auto want = short_form ? names[k].substr(0, 3) : names[k];
      if (t_.size() - i_ >= want.size() && iequals(t_.substr(i_, want.size()), want)) {
        i_ += want.size();
        return k;
      }
    }
    return std::nullopt;
  }

  bool word(std::string_view w) {
    if (t_.size() - i_ >= w.size() && iequals(t_.substr(i_, w.size()), w)) {
      i_ += w.size();
      return true;
    }
    return false;
  }

  // A zone id or offset: the longest run of id characters that parse_zone accepts.
  std::optional<int> zone() {
    std::size_t j = i_;
    while (j < t_.size() && (letter(t_[j]) || digit(t_[j]) || t_[j] == '+' || t_[j] == '-' || t_[j] == ':' ||
                             t_[j] == '/' || t_[j] == '_'))
      ++j;
    for (std::size_t end = j; end > i_; --end) {
      if (auto z = parse_zone(t_.substr(i_, end - i_))) {
        i_ = end;
        return z->offset_seconds;
      }
    }
    return std::nullopt;
  }

 private:
  std::string_view t_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<std::int64_t> parse_time_text(std::string_view text, std::string_view p) {
  time_parser in(text);
  parsed_fields f;
  for (std::size_t i = 0; i < p.size();) {
    const char c = p[i];
    if (c == '\'') {
      std::size_t j = i + 1;
      if (j < p.size() && p[j] == '\'') {
        if (!in.literal('\'')) return std::nullopt;
        i = j + 1;
        continue;
      }
      for (; j < p.size() && p[j] != '\''; ++j)
        if (!in.literal(p[j])) return std::nullopt;
      i = j + 1;
      continue;
    }
    if (!letter(c)) {
      if (!in.literal(c)) return std::nullopt;
      ++i;
      continue;
    }
    std::size_t n = 1;
    while (i + n < p.size() && p[i + n] == c) ++n;
    i += n;
    std::optional<std::int64_t> v;
    switch (c) {
      case 'y':
      case 'u':
        if (n == 2) {
          if (!(v = in.number(2, 2))) return std::nullopt;
          f.year = 2000 + *v;
        } else {
          if (!(v = in.number(n, 10, true))) return std::nullopt;
          f.year = *v;
        }
        break;
      case 'M':
      case 'L':
        if (n >= 3) {
          auto k = in.name(month_names, n == 3);
          if (!k) return std::nullopt;
          f.month = static_cast<unsigned>(*k + 1);
        } else {
          if (!(v = in.number(n, 2)) || *v < 1 || *v > 12) return std::nullopt;
          f.month = static_cast<unsigned>(*v);
        }
        break;
      case 'd':
        if (!(v = in.number(n, 2)) || *v < 1 || *v > 31) return std::nullopt;
        f.day = static_cast<unsigned>(*v);
        break;
      case 'H':
        if (!(v = in.number(n, 2)) || *v > 23) return std::nullopt;
        f.hour = static_cast<int>(*v);
        break;
      case 'h':
        if (!(v = in.number(n, 2)) || *v < 1 || *v > 12) return std::nullopt;
        f.hour = static_cast<int>(*v);
        f.clock12 = true;
        break;
      case 'm':
        if (!(v = in.number(n, 2)) || *v > 59) return std::nullopt;
        f.minute = static_cast<int>(*v);
        break;
      case 's':
        if (!(v = in.number(n, 2)) || *v > 59) return std::nullopt;
        f.second = static_cast<int>(*v);
        break;
      case 'S': {
        if (!(v = in.number(n, n))) return std::nullopt;
        std::int64_t ms = *v;
        for (std::size_t k = n; k < 3; ++k) ms *= 10;
        for (std::size_t k = 3; k < n; ++k) ms /= 10;
        f.millis = static_cast<int>(ms);
        break;
      }
      case 'a':
        if (in.word("AM")) f.pm = 0;
        else if (in.word("PM")) f.pm = 1;
        else return std::nullopt;
        break;
      case 'E':
        if (!in.name(day_names, n < 4)) return std::nullopt;
        break;
      case 'G':
        if (!in.word("AD")) return std::nullopt;
        break;
      case 'V':
      case 'z':
      case 'O':
      case 'X':
      case 'x':
      case 'Z': {
        auto off = in.zone();
        if (!off) return std::nullopt;
        f.offset = *off;
        break;
      }
      default: return std::nullopt;
    }
  }
  if (!in.at_end()) return std::nullopt;
  if (f.clock12 || f.pm >= 0) f.hour = f.hour % 12 + (f.pm == 1 ? 12 : 0);
  const std::int64_t days = days_from_civil(f.year, f.month, f.day);
  return days * ms_per_day + ((f.hour * 60 + f.minute) * 60 + f.second) * std::int64_t{1000} + f.millis -
         static_cast<std::int64_t>(f.offset) * 1000;
}

}  // namespace lambkin::rules::detail
