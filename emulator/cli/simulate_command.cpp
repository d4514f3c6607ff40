// `lambkin simulate [SCENARIO.yaml] [flags]`: run a scenario on the Lambda pool model in virtual
// time and print a summary and a timeline (or JSON, or an SVG chart).
#include "emulator/cli/commands.hpp"
#include "emulator/sim/ascii_timeline.hpp"
#include "emulator/sim/duration_text.hpp"
#include "emulator/sim/expectation.hpp"
#include "emulator/sim/simulation.hpp"
#include "emulator/sim/summary.hpp"
#include "emulator/sim/svg_timeline.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

namespace lambkin::cli {
namespace {

struct simulate_flags {
  std::string file;
  std::optional<std::string> arrivals, init, duration, idle_retention, timeout, horizon;
  std::optional<std::uint32_t> reserved, provisioned, account, max_retry_attempts;
  std::optional<std::uint64_t> seed;
  std::optional<double> error_rate;
  bool async = false, sync = false, json = false, check = false, no_timeline = false;
  std::string svg;
  int width = 72;
};

/// Parses one text flag with `parse`, naming the flag in the error.
template <class T, class F>
bool parse_flag(const std::optional<std::string>& text, const char* flag, F parse, std::optional<T>& into) {
  if (!text) return true;
  auto r = parse(*text);
  if (!r) {
    std::cerr << flag << " " << *text << ": " << r.error().message << '\n';
    return false;
  }
  into = std::move(*r);
  return true;
}

std::optional<sim::scenario_overrides> overrides_from(const simulate_flags& f) {
  sim::scenario_overrides o;
  const bool ok = parse_flag(f.arrivals, "--arrivals", sim::parse_arrivals, o.arrivals) &&
                  parse_flag(f.init, "--init", sim::parse_distribution, o.init) &&
                  parse_flag(f.duration, "--duration", sim::parse_distribution, o.handler) &&
                  parse_flag(f.idle_retention, "--idle-retention", sim::parse_distribution, o.idle_retention) &&
                  parse_flag(f.timeout, "--timeout", sim::parse_duration, o.timeout) &&
                  parse_flag(f.horizon, "--horizon", sim::parse_duration, o.horizon);
  if (!ok) return std::nullopt;
  o.reserved_concurrency = f.reserved;
  o.provisioned_concurrency = f.provisioned;
  o.account_concurrency = f.account;
  o.max_retry_attempts = f.max_retry_attempts;
  o.seed = f.seed;
  o.error_rate = f.error_rate;
  if (f.async) o.invocation = sim::invocation_mode::async;
  if (f.sync) o.invocation = sim::invocation_mode::sync;
  return o;
}

int simulate(const simulate_flags& f) {
  sim::scenario base;
  if (!f.file.empty()) {
    auto loaded = sim::load_scenario(f.file);
    if (!loaded) {
      std::cerr << loaded.error().to_string() << '\n';
      return 1;
    }
    base = std::move(*loaded);
  }
  auto overrides = overrides_from(f);
  if (!overrides) return 1;
  auto s = sim::apply_overrides(std::move(base), *overrides);
  if (!s) {
    std::cerr << s.error().to_string() << '\n';
    return 1;
  }
  auto run = sim::run_simulation(*s);
  if (!run) {
    std::cerr << run.error().to_string() << '\n';
    return 1;
  }
  const auto summary = sim::summarize(*run);
  const auto unmet = sim::check_expectations(s->expect, summary, s->file);

  if (!f.svg.empty()) {
    sim::svg_options svg;
    svg.title = s->name.empty() ? "lambkin simulate" : s->name;
    svg.subtitle = std::to_string(summary.invocations) + " invocations, " + std::to_string(summary.cold_starts) +
                   " cold starts, " + std::to_string(summary.environments) + " environments, " +
                   std::to_string(summary.throttled) + " throttled";
    std::ofstream out(f.svg);
    out << sim::render_svg_timeline(*run, svg);
    if (!out.flush()) {
      std::cerr << "--svg " << f.svg << ": cannot write\n";
      return 1;
    }
  }

  if (f.json) {
    std::cout << sim::to_json(summary) << '\n';
  } else {
    if (!s->name.empty()) std::cout << s->name << '\n';
    if (!s->description.empty()) std::cout << s->description << '\n';
    if (!s->name.empty() || !s->description.empty()) std::cout << '\n';
    std::cout << sim::to_text(summary);
    if (!f.no_timeline) {
      sim::ascii_options ascii;
      ascii.width = f.width;
      std::cout << '\n' << sim::render_ascii_timeline(*run, ascii);
    }
    if (!s->expect.empty()) {
      std::cout << '\n' << (unmet.empty() ? "expected outcome: met" : "expected outcome: NOT met") << '\n';
    }
    if (!f.svg.empty()) std::cout << "timeline chart written to " << f.svg << '\n';
  }
  for (const auto& m : unmet) std::cerr << m << '\n';
  return f.check && !unmet.empty() ? 1 : 0;
}

}  // namespace

void add_simulate_command(CLI::App& app) {
  auto f = std::make_shared<simulate_flags>();
  auto* cmd = app.add_subcommand(
      "simulate", "Predict cold starts, throttles and latency on lambkin's Lambda pool model, in virtual time");
  cmd->add_option("scenario", f->file, "Scenario file (YAML); flags override its values");
  cmd->add_option("--arrivals", f->arrivals,
                  "Arrival times: 0,0,100ms | poisson(50, 10s) | uniform(20/s, 5s) | burst(6, 1s) | a + b");
  cmd->add_option("--init", f->init, "Init duration: 250ms, uniform(a, b), normal(mean, sd), lognormal(median, sigma)");
  cmd->add_option("--duration", f->duration, "Handler duration, same forms as --init");
  cmd->add_option("--reserved", f->reserved, "Reserved concurrency (0 throttles everything)");
  cmd->add_option("--provisioned", f->provisioned, "Provisioned concurrency");
  cmd->add_option("--account", f->account, "Account concurrency limit (default 1000)");
  cmd->add_option("--idle-retention", f->idle_retention, "Idle retention: 10m or uniform(5m, 15m)");
  cmd->add_option("--timeout", f->timeout, "Function timeout (default 3s)");
  cmd->add_option("--error-rate", f->error_rate, "Probability that an invocation fails, 0–1");
  cmd->add_option("--max-retry-attempts", f->max_retry_attempts, "Async retries after a function error, 0–2");
  cmd->add_option("--seed", f->seed, "Seed for every random draw");
  cmd->add_option("--horizon", f->horizon, "Stop the simulation at this time");
  auto* async = cmd->add_flag("--async", f->async, "Invoke asynchronously (Event)");
  cmd->add_flag("--sync", f->sync, "Invoke synchronously (RequestResponse)")->excludes(async);
  cmd->add_flag("--json", f->json, "Print the summary as one JSON object");
  cmd->add_option("--svg", f->svg, "Write the timeline as an SVG chart to this file");
  cmd->add_option("--width", f->width, "Columns of the ASCII timeline (default 72)");
  cmd->add_flag("--no-timeline", f->no_timeline, "Print the summary only");
  cmd->add_flag("--check", f->check, "Exit 1 when the scenario's `expect:` outcome is not met");
  cmd->callback([f] { set_exit_code(simulate(*f)); });
}

}  // namespace lambkin::cli
