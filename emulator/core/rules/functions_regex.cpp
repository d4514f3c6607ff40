// regexp_matches / regexp_replace / regexp_substr on std::regex (ECMAScript grammar). AWS uses
// Java regular expressions; the common subset (classes, groups, quantifiers, anchors,
// alternation, backreferences) behaves the same. Differences: a leading `(?i)` is honoured but
// other inline flags are not, and there is no lookbehind, possessive quantifiers, \p{…} classes or
// named groups — such patterns are invalid here, so the function returns Undefined.
#include "emulator/core/rules/conversions.hpp"
#include "emulator/core/rules/function_impls.hpp"

#include <list>
#include <regex>
#include <string_view>
#include <utility>

namespace lambkin::rules::detail {
namespace {

// A quantifier applied to a quantifier (`a**`, `a+{2}`; a single `?` after one is the lazy form):
// Java refuses it ("Dangling meta character"), and libstdc++'s ECMAScript accepts `(t)*****e` and
// then backtracks exponentially on it (found by rules_sql_fuzz). Refused here as Java does.
bool stacked_quantifier(std::string_view p) {
  bool in_class = false;
  bool after_quantifier = false;
  bool lazy = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (in_class) {
      if (c == '\\') ++i;
      else if (c == ']') in_class = false;
      continue;
    }
    if (c == '\\') {
      ++i;
      after_quantifier = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      after_quantifier = false;
      continue;
    }
    if (c == '*' || c == '+' || c == '?' || c == '{') {
      if (after_quantifier) {
        if (c == '?' && !lazy) {
          lazy = true;
          continue;
        }
        return true;
      }
      if (c == '{') {
        const auto close = p.find('}', i);
        if (close == std::string_view::npos) return false;  // not a bound: std::regex decides
        i = close;
      }
      // `(?` opens a group, it does not quantify
      after_quantifier = !(c == '?' && i > 0 && p[i - 1] == '(');
      lazy = false;
      continue;
    }
    after_quantifier = false;
  }
  return false;
}

// libstdc++ reads a back-reference's number (`\12`) and a bound's (`{2,5}`) into an int without an
// overflow check: `\66666666666666666766` is undefined behaviour in std::regex's compiler (found by
// rules_sql_fuzz under UBSan). No pattern needs a number of ten digits there; refused like any
// invalid pattern.
bool oversized_number(std::string_view p) {
  constexpr std::size_t max_digits = 9;
  const auto digits_at = [p](std::size_t at) {
    std::size_t n = 0;
    while (at + n < p.size() && p[at + n] >= '0' && p[at + n] <= '9') ++n;
    return n;
  };
  bool in_class = false;
  bool in_bound = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (in_class) {  // no number is read in a class
      if (c == '\\') ++i;
      else if (c == ']') in_class = false;
      continue;
    }
    if (c == '\\') {
      if (digits_at(i + 1) > max_digits) return true;
      ++i;
    } else if (c == '[') {
      in_class = true;
    } else if (c == '{' || (c == ',' && in_bound)) {
      in_bound = true;
      if (digits_at(i + 1) > max_digits) return true;
    } else if (c == '}') {
      in_bound = false;
    }
  }
  return false;
}

// Compiling a pattern costs far more than matching a payload field, and rules use constant
// patterns: keep the last few compiled ones per thread.
const std::regex* compiled(const std::string& pattern) {
  struct entry {
    std::string pattern;
    std::optional<std::regex> re;  // nullopt: the pattern is invalid
  };
  thread_local std::list<entry> cache;
  for (auto it = cache.begin(); it != cache.end(); ++it) {
    if (it->pattern == pattern) {
      cache.splice(cache.begin(), cache, it);
      return cache.front().re ? &*cache.front().re : nullptr;
    }
  }
  entry e{pattern, std::nullopt};
  try {
    auto flags = std::regex::ECMAScript;
    std::string body = pattern;
    if (body.rfind("(?i)", 0) == 0) {
      flags |= std::regex::icase;
      body.erase(0, 4);
    }
    if (!stacked_quantifier(body) && !oversized_number(body)) e.re.emplace(body, flags);
  } catch (const std::regex_error&) {
  }
  cache.push_front(std::move(e));
  if (cache.size() > 32) cache.pop_back();
  return cache.front().re ? &*cache.front().re : nullptr;
}

// Java replacement syntax ($1, \$ for a dollar, \\ for a backslash) → ECMAScript ($1, $$).
std::optional<std::string> ecma_replacement(const std::string& java) {
  std::string out;
  for (std::size_t i = 0; i < java.size(); ++i) {
    const char ch = java[i];
    if (ch == '\\') {
      if (++i >= java.size()) return std::nullopt;
      if (java[i] == '$') out += "$$";
      else out += java[i];
    } else if (ch == '$') {
      if (i + 1 >= java.size() || java[i + 1] < '0' || java[i + 1] > '9') return std::nullopt;
      out += '$';
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace

value fn_regexp_matches(std::span<const value> a, const call_context&) {
  auto s = to_text(a[0]);
  auto p = to_text(a[1]);
  if (!s || !p) return {};
  const auto* re = compiled(*p);
  if (!re) return {};
  try {
    return value::boolean(std::regex_search(*s, *re));
  } catch (const std::regex_error&) {  // too complex for the matcher
    return {};
  }
}

value fn_regexp_replace(std::span<const value> a, const call_context&) {
  auto s = to_text(a[0]);
  auto p = to_text(a[1]);
  auto r = to_text(a[2]);
  if (!s || !p || !r) return {};
  const auto* re = compiled(*p);
  auto fmt = ecma_replacement(*r);
  if (!re || !fmt) return {};
  try {
    return value::string(std::regex_replace(*s, *re, *fmt));
  } catch (const std::regex_error&) {
    return {};
  }
}

value fn_regexp_substr(std::span<const value> a, const call_context&) {
  auto s = to_text(a[0]);
  auto p = to_text(a[1]);
  if (!s || !p) return {};
  const auto* re = compiled(*p);
  if (!re) return {};
  try {
    std::smatch m;
    if (!std::regex_search(*s, m, *re)) return value::string("");
    return value::string(m.str(0));
  } catch (const std::regex_error&) {
    return {};
  }
}

}  // namespace lambkin::rules::detail
