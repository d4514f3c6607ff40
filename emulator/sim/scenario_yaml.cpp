// The scenario's YAML schema (format documented in scenario.hpp), read with yaml_reader.
#include "emulator/sim/scenario.hpp"
#include "emulator/sim/yaml_reader.hpp"

#include <fstream>
#include <sstream>

namespace lambkin::sim {
namespace {

bool read_rate(yaml_reader& r, const YAML::Node& n, const std::string& field, double& out) {
  std::string text;
  if (!r.scalar(n, field, text)) return false;
  auto rate = parse_rate(text);
  if (!rate) return r.fail(n, field, rate.error().message);
  out = *rate;
  return true;
}

bool read_process(yaml_reader& r, const YAML::Node& map, const std::string& prefix, arrival_process& out) {
  const YAML::Node n = map["process"];
  if (!n.IsDefined()) return true;
  std::string s;
  if (!r.scalar(n, prefix + ".process", s)) return false;
  if (s != "poisson" && s != "uniform") return r.fail(n, prefix + ".process", "expected poisson or uniform, got '" + s + "'");
  out = s == "poisson" ? arrival_process::poisson : arrival_process::uniform;
  return true;
}

// One component map: {at: …} | {rate: …, duration: …} | {burst: …, at | every+count}.
bool read_component(yaml_reader& r, const YAML::Node& n, const std::string& path, arrival_component& out) {
  if (!r.expect_map(n, path)) return false;
  if (n["burst"].IsDefined()) {
    burst_arrivals b;
    if (!r.only_keys(n, path, {"burst", "at", "every", "count", "start"}) ||
        !r.optional(n, "burst", path, b.size) || !r.optional(n, "at", path, b.at) ||
        !r.optional(n, "every", path, b.every) || !r.optional(n, "count", path, b.count) ||
        !r.optional(n, "start", path, b.start))
      return false;
    if (b.count == 0 && b.every > duration::zero() && b.at.empty())
      return r.fail(n["every"], path + ".count", "is needed with `every` (how many bursts)");
    out = std::move(b);
  } else if (n["rate"].IsDefined()) {
    rate_arrivals a;
    if (!r.only_keys(n, path, {"rate", "duration", "process", "start"}) ||
        !read_rate(r, n["rate"], path + ".rate", a.rate_per_s) || !read_process(r, n, path, a.process) ||
        !r.optional(n, "duration", path, a.length) || !r.optional(n, "start", path, a.start))
      return false;
    if (!n["duration"].IsDefined()) return r.fail(n, path + ".duration", "missing (how long the rate lasts)");
    out = a;
  } else if (n["at"].IsDefined()) {
    explicit_arrivals e;
    if (!r.only_keys(n, path, {"at"}) || !r.optional(n, "at", path, e.times)) return false;
    out = std::move(e);
  } else {
    return r.fail(n, path, "expected `at: [times]`, `rate:` with `duration:`, or `burst:`");
  }
  std::string key;
  if (auto problem = check(out, &key); !problem.empty()) {
    const YAML::Node at = n[key];
    return r.fail(at.IsDefined() ? at : n, join_path(path, key), problem);
  }
  return true;
}

bool read_arrivals(yaml_reader& r, const YAML::Node& n, arrivals_spec& out) {
  if (n.IsScalar()) {
    auto spec = parse_arrivals(n.Scalar());
    if (!spec) return r.fail(n, "arrivals", spec.error().message);
    out = std::move(*spec);
    return true;
  }
  if (n.IsMap()) {
    out.components.emplace_back();
    return read_component(r, n, "arrivals", out.components.back());
  }
  if (!n.IsSequence() || n.size() == 0) return r.fail(n, "arrivals", "expected a list of times or arrival patterns");
  // Plain times in the list form one explicit component; maps are components of their own.
  explicit_arrivals times;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string path = "arrivals[" + std::to_string(i) + "]";
    if (n[i].IsMap()) {
      out.components.emplace_back();
      if (!read_component(r, n[i], path, out.components.back())) return false;
    } else {
      times.times.emplace_back();
      if (!r.read(n[i], path, times.times.back())) return false;
    }
  }
  if (!times.times.empty()) out.components.insert(out.components.begin(), std::move(times));
  return true;
}

bool read_expect(yaml_reader& r, const YAML::Node& n, std::vector<expectation>& out) {
  if (!r.expect_map(n, "expect")) return false;
  for (auto it = n.begin(); it != n.end(); ++it) {
    expectation e;
    if (!r.scalar(it->first, "expect", e.key)) return false;
    const std::string field = "expect." + e.key;
    if (!summary_value(summary{}, e.key)) {
      std::string keys;
      for (auto k : summary_keys()) keys += (keys.empty() ? "" : ", ") + std::string(k);
      return r.fail(it->first, field, "not a summary key (expected one of: " + keys + ")");
    }
    std::string text;
    if (!r.scalar(it->second, field, text)) return false;
    const auto parsed = parse_expected_value(text);
    if (!parsed) return r.fail(it->second, field, "expected a number or a bound like \"< 0.01\", got '" + text + "'");
    e.op = parsed->first;
    e.value = parsed->second;
    e.line = it->second.Mark().line + 1;
    e.column = it->second.Mark().column + 1;
    out.push_back(std::move(e));
  }
  return true;
}

bool read_scenario(yaml_reader& r, const YAML::Node& root, scenario& s) {
  if (!root.IsMap()) return r.fail(root, "", "expected a mapping of scenario fields (name:, arrivals:, …)");
  if (!r.only_keys(root, "", {"name", "description", "arrivals", "init", "duration", "invocation", "reserved",
                              "provisioned", "account", "idle_retention", "timeout", "error_rate",
                              "max_retry_attempts", "retry_delays", "max_event_age", "seed", "horizon", "expect"}))
    return false;
  pool_settings& p = s.pool;
  std::uint32_t reserved = 0;
  duration horizon{};
  std::string mode;
  const bool ok = r.optional(root, "name", "", s.name) && r.optional(root, "description", "", s.description) &&
                  r.optional(root, "init", "", s.init) && r.optional(root, "duration", "", s.handler) &&
                  r.optional(root, "invocation", "", mode) && r.optional(root, "reserved", "", reserved) &&
                  r.optional(root, "provisioned", "", p.provisioned_concurrency) &&
                  r.optional(root, "account", "", p.account_concurrency) &&
                  r.optional(root, "idle_retention", "", p.idle_retention) &&
                  r.optional(root, "timeout", "", p.timeout) && r.optional(root, "error_rate", "", s.error_rate) &&
                  r.optional(root, "max_retry_attempts", "", p.max_retry_attempts) &&
                  r.optional(root, "retry_delays", "", p.retry_delays) &&
                  r.optional(root, "max_event_age", "", p.max_event_age) && r.optional(root, "seed", "", s.seed) &&
                  r.optional(root, "horizon", "", horizon);
  if (!ok) return false;
  if (root["reserved"].IsDefined()) p.reserved_concurrency = reserved;
  if (root["horizon"].IsDefined()) s.horizon = horizon;
  if (!mode.empty()) {
    const auto m = parse_invocation_mode(mode);
    if (!m) return r.fail(root["invocation"], "invocation", "expected sync or async, got '" + mode + "'");
    s.invocation = *m;
  }
  if (const YAML::Node a = root["arrivals"]; a.IsDefined()) {
    r.remember("arrivals", a);
    if (!read_arrivals(r, a, s.arrivals)) return false;
  }
  if (const YAML::Node e = root["expect"]; e.IsDefined() && !read_expect(r, e, s.expect)) return false;
  if (auto problem = validate(s)) return r.fail_at_remembered(*problem);
  return true;
}

}  // namespace

result<scenario> parse_scenario(std::string_view yaml, std::string_view file) {
  yaml_reader r{std::string(file)};
  scenario s;
  s.file = std::string(file);
  try {
    if (read_scenario(r, YAML::Load(std::string(yaml)), s)) return s;
  } catch (const YAML::Exception& e) {
    // Syntax errors: yaml-cpp's only way to report them is an exception; it becomes a value here.
    r.fail(e.mark, "", e.msg);
  }
  return r.error();
}

result<scenario> load_scenario(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in) {
    config_error e;
    e.file = path.string();
    e.message = "cannot read the file";
    return e;
  }
  return parse_scenario(text.str(), path.string());
}

}  // namespace lambkin::sim
