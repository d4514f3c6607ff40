// `lambkin invoke TEMPLATE FUNCTION [--event FILE|-]`: one local invocation, like
// `sam local invoke` without Docker. The function's answer goes to stdout; the platform lines
// (INIT_START, START, END, REPORT) and the function's own output to stderr. Exit 0 on success,
// 1 on a function error (or when it could not run).
#include "emulator/cli/commands.hpp"
#include "emulator/cli/run_options.hpp"
#include "emulator/cli/template_options.hpp"
#include "emulator/core/lambda/function_arn.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

namespace lambkin::cli {
namespace {

struct invoke_flags {
  template_options tmpl;
  std::string function;
  std::string event_file;
  std::string qualifier;
  std::optional<std::string> timing;
  std::string log_format = "text";
  std::string log_level = "info";
  bool cpu_scaling = false;
};

int invoke(const invoke_flags& f) {
  io::init_logging(f.log_format == "json" ? io::log_format::json : io::log_format::text, f.log_level);
  std::string event = "{}";
  if (f.event_file == "-") {
    event.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else if (!f.event_file.empty()) {
    std::ifstream in(f.event_file, std::ios::binary);
    if (!in) {
      std::cerr << "--event " << f.event_file << ": cannot read the file\n";
      return 1;
    }
    std::stringstream text;
    text << in.rdbuf();
    event = text.str();
  }

  config::settings_overlay overlay;
  overlay.aws_port = 0;  // never collide with a running `lambkin run`
  overlay.mqtt_port = 0;
  overlay.ws_port = 0;
  overlay.http_port = 0;
  if (f.timing) overlay.timing = parse_timing_profile(*f.timing);
  auto loaded = load_or_report(f.tmpl, overlay);
  if (!loaded) return 1;
  const auto* function = loaded->find_function(function_name{f.function});
  if (!function) {
    for (const auto& fn : loaded->functions)
      if (fn.logical_id == f.function) function = &fn;
  }
  if (!function) {
    std::cerr << f.tmpl.file << ": no function named " << f.function << " (functions:";
    for (const auto& fn : loaded->functions) std::cerr << ' ' << fn.name.value();
    std::cerr << ")\n";
    return 1;
  }

  auto o = run_options_for(*loaded, f.tmpl.file, "", f.log_format);
  o.cpu_scaling = f.cpu_scaling;
  o.one_shot = [name = function->name.value(), qualifier = f.qualifier,
                event](io::lambda::lambda_service& service) -> boost::asio::awaitable<int> {
    auto* host = service.find(name);
    const auto version = host->resolve(qualifier);
    if (!version) {
      std::cerr << name << ": no version or alias '" << qualifier << "'\n";
      co_return 1;
    }
    io::lambda::invoke_request request;
    request.payload = event;
    request.version = *version;
    auto result = co_await host->invoke(std::move(request));
    if (result.outcome.kind == lambkin::lambda::outcome_kind::throttled ||
        result.outcome.kind == lambkin::lambda::outcome_kind::aborted) {
      std::cerr << name << ": not run (" << lambkin::lambda::to_string(result.outcome.kind) << ")\n";
      co_return 1;
    }
    std::cout << result.body << '\n' << std::flush;
    co_return result.function_error() ? 1 : 0;
  };
  io::app app(std::move(o));
  return app.run();
}

}  // namespace

void add_invoke_command(CLI::App& app) {
  auto f = std::make_shared<invoke_flags>();
  auto* cmd = app.add_subcommand("invoke", "Invoke one function of a template once, locally (like sam local invoke)");
  add_template_options(*cmd, f->tmpl);
  cmd->add_option("function", f->function, "The function's name (FunctionName or logical id)")->required();
  cmd->add_option("--event,-e", f->event_file, "JSON event file, or - for standard input (default {})");
  cmd->add_option("--qualifier", f->qualifier, "Version or alias (default $LATEST)");
  cmd->add_option("--timing", f->timing, "Timing profile: aws or fast")->check(CLI::IsMember({"aws", "fast"}));
  cmd->add_flag("--cpu-scaling", f->cpu_scaling, "CPU in proportion to MemorySize, as Lambda gives it (needs cgroups)");
  cmd->add_option("--log-format", f->log_format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--log-level", f->log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  cmd->callback([f] { set_exit_code(invoke(*f)); });
}

}  // namespace lambkin::cli
