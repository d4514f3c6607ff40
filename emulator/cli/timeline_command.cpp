// `lambkin timeline [--function F] [--since T] [--svg FILE | --json]`: the lifecycle timeline of
// a running lambkin (GET /_lambkin/timeline), drawn by the simulator's renderers — SVG with
// --svg, ASCII otherwise — so a real run looks like `lambkin simulate` draws a simulated one.
#include "emulator/cli/commands.hpp"
#include "emulator/io/http/http_client.hpp"
#include "emulator/io/observe/timeline_trace.hpp"
#include "emulator/sim/ascii_timeline.hpp"
#include "emulator/sim/summary.hpp"
#include "emulator/sim/svg_timeline.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace lambkin::cli {
namespace {

struct timeline_flags {
  std::string endpoint = "http://127.0.0.1:4566";
  unsigned short aws_port = 0;
  std::string function, since, input, svg, title;
  bool json = false;
  int width = 72;
};

std::string query_string(const timeline_flags& f) {
  std::string q;
  auto add = [&](const char* k, const std::string& v) {
    if (v.empty()) return;
    q += q.empty() ? '?' : '&';
    q += k;
    q += '=';
    for (const unsigned char c : v) {  // percent-encode all but unreserved characters
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        q += static_cast<char>(c);
      } else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        q += buf;
      }
    }
  };
  add("function", f.function);
  add("since", f.since);
  return q;
}

/// The timeline's JSON: from --input, or fetched from the running lambkin.
std::optional<std::string> fetch(const timeline_flags& f) {
  if (!f.input.empty()) {
    std::ifstream in(f.input == "-" ? "/dev/stdin" : f.input);
    if (!in) {
      std::cerr << "--input " << f.input << ": cannot read\n";
      return std::nullopt;
    }
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  const auto base = f.aws_port ? "http://127.0.0.1:" + std::to_string(f.aws_port) : f.endpoint;
  io::http::client_request req;
  req.method = "GET";
  req.url = base + "/_lambkin/timeline" + query_string(f);
  req.timeout = std::chrono::seconds(10);
  boost::asio::io_context ioc;
  io::http::client_response res;
  boost::asio::co_spawn(ioc, io::http::async_send(ioc.get_executor(), req),
                        [&](std::exception_ptr e, io::http::client_response r) {
                          if (!e) res = std::move(r);
                        });
  ioc.run();
  if (res.error || res.status != 200) {
    std::cerr << "GET " << req.url << ": "
              << (res.error ? *res.error + " (is `lambkin run` running?)" : "HTTP " + std::to_string(res.status) + " " + res.body)
              << '\n';
    return std::nullopt;
  }
  return res.body;
}

int timeline(const timeline_flags& f) {
  auto text = fetch(f);
  if (!text) return 1;
  if (f.json) {
    std::cout << *text << '\n';
    return 0;
  }
  std::string error;
  auto t = io::observe::trace_from_timeline(*text, error);
  if (!t) {
    std::cerr << error << '\n';
    return 1;
  }
  const auto summary = sim::summarize(t->trace);
  std::string functions;
  for (const auto& fn : t->functions) functions += (functions.empty() ? "" : ", ") + fn;
  if (!f.svg.empty()) {
    sim::svg_options svg;
    svg.title = !f.title.empty() ? f.title : "lambkin timeline" + (functions.empty() ? "" : ": " + functions);
    // Through the last event (a reap comes long after the last invoke), not just the last activity.
    svg.until = t->trace.end_time() - t->trace.origin();
    svg.subtitle = std::to_string(summary.invocations) + " invocations, " + std::to_string(summary.cold_starts) +
                   " cold starts, " + std::to_string(summary.environments) + " environments, " +
                   std::to_string(summary.throttled) + " throttled (a live run)";
    std::ofstream out(f.svg);
    out << sim::render_svg_timeline(t->trace, svg);
    if (!out.flush()) {
      std::cerr << "--svg " << f.svg << ": cannot write\n";
      return 1;
    }
    std::cout << t->events << " events of " << (functions.empty() ? "no function" : functions)
              << "; timeline chart written to " << f.svg << '\n';
    return 0;
  }
  std::cout << sim::to_text(summary) << '\n';
  sim::ascii_options ascii;
  ascii.width = f.width;
  std::cout << sim::render_ascii_timeline(t->trace, ascii);
  return 0;
}

}  // namespace

void add_timeline_command(CLI::App& app) {
  auto f = std::make_shared<timeline_flags>();
  auto* cmd = app.add_subcommand("timeline", "Draw the lifecycle timeline of a running lambkin (live environments)");
  cmd->add_option("--endpoint", f->endpoint, "lambkin's AWS endpoint (default http://127.0.0.1:4566)");
  cmd->add_option("--aws-port", f->aws_port, "Shorthand for --endpoint http://127.0.0.1:PORT");
  cmd->add_option("--function", f->function, "Only this function's environments");
  cmd->add_option("--since", f->since, "Only events at or after this time (Unix epoch milliseconds)");
  cmd->add_option("--svg", f->svg, "Write an SVG chart (as `lambkin simulate --svg` does) to FILE");
  cmd->add_option("--title", f->title, "The SVG chart's title");
  cmd->add_flag("--json", f->json, "Print the timeline's JSON instead");
  cmd->add_option("--input", f->input, "Read a saved timeline JSON (- for standard input) instead of fetching it");
  cmd->add_option("--width", f->width, "Columns of the ASCII timeline (default 72)");
  cmd->callback([f] { set_exit_code(timeline(*f)); });
}

}  // namespace lambkin::cli
