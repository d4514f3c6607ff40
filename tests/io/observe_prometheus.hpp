#pragma once
// Test support: a strict reader of the Prometheus text format (0.0.4) for the metrics tests.
// It refuses what a Prometheus server would refuse (a sample before its family's # TYPE, a family
// declared twice, bad label syntax, a value that is not a number) and lets tests look samples up.
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace lambkin::test {

struct prom_sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct prom_page {
  std::vector<prom_sample> samples;
  std::map<std::string, std::string> types;  // family → counter|gauge|histogram
  std::string error;                         // empty when the page is well-formed

  /// The sample with exactly these labels, if any.
  std::optional<double> value(const std::string& name, const std::map<std::string, std::string>& labels = {}) const {
    for (const auto& s : samples)
      if (s.name == name && s.labels == labels) return s.value;
    return std::nullopt;
  }
  /// Sum over every sample of `name` whose labels include `subset`.
  double sum(const std::string& name, const std::map<std::string, std::string>& subset = {}) const {
    double total = 0;
    for (const auto& s : samples) {
      if (s.name != name) continue;
      bool match = true;
      for (const auto& [k, v] : subset) {
        auto it = s.labels.find(k);
        match = match && it != s.labels.end() && it->second == v;
      }
      if (match) total += s.value;
    }
    return total;
  }
};

inline bool prom_name_ok(const std::string& n) {
  if (n.empty() || std::isdigit(static_cast<unsigned char>(n[0]))) return false;
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':')) return false;
  return true;
}

inline prom_page parse_prometheus(const std::string& text) {
  prom_page page;
  std::set<std::string> helped;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  auto fail = [&](const std::string& why) {
    if (page.error.empty()) page.error = "line " + std::to_string(n) + ": " + why + ": " + line;
  };
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      std::istringstream words(line.substr(7));
      std::string name, rest;
      words >> name;
      std::getline(words, rest);
      if (!prom_name_ok(name)) fail("bad metric name");
      if (line[2] == 'H') {
        if (!helped.insert(name).second) fail("HELP twice");
      } else {
        rest = rest.empty() ? rest : rest.substr(1);
        if (rest != "counter" && rest != "gauge" && rest != "histogram" && rest != "summary" && rest != "untyped")
          fail("bad type");
        if (page.types.count(name)) fail("TYPE twice");
        page.types[name] = rest;
      }
      continue;
    }
    if (line[0] == '#') continue;
    prom_sample s;
    std::size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    s.name = line.substr(0, i);
    if (!prom_name_ok(s.name)) fail("bad sample name");
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        const auto eq = line.find("=\"", i);
        if (eq == std::string::npos) { fail("bad label"); break; }
        const auto key = line.substr(i, eq - i);
        if (!prom_name_ok(key)) fail("bad label name");
        std::string value;
        std::size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\' && j + 1 < line.size()) {
            ++j;
            value += line[j] == 'n' ? '\n' : line[j];
          } else {
            value += line[j];
          }
        }
        if (j >= line.size()) { fail("unterminated label value"); break; }
        s.labels[key] = value;
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      ++i;  // '}'
    }
    if (i >= line.size() || line[i] != ' ') { fail("no value"); continue; }
    const auto value_text = line.substr(i + 1);
    char* end = nullptr;
    s.value = value_text == "+Inf" ? HUGE_VAL : std::strtod(value_text.c_str(), &end);
    if (value_text != "+Inf" && (end == value_text.c_str() || *end != '\0')) fail("value is not a number");
    // The family: the name itself, or a histogram's name before _bucket/_sum/_count.
    std::string family = s.name;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string sfx = suffix;
      if (!page.types.count(family) && s.name.ends_with(sfx) &&
          page.types.count(s.name.substr(0, s.name.size() - sfx.size())))
        family = s.name.substr(0, s.name.size() - sfx.size());
    }
    if (!page.types.count(family)) fail("sample before its # TYPE");
    if (page.types[family] == "counter" && !s.name.ends_with("_total")) fail("counter without _total");
    page.samples.push_back(std::move(s));
  }
  return page;
}

}  // namespace lambkin::test
