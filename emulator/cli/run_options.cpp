#include "emulator/cli/run_options.hpp"

#include <cstdlib>
#include <filesystem>

namespace lambkin::cli {

io::run_options run_options_for(const config::template_config& tmpl, const std::string& template_file,
                                const std::string& data_dir, const std::string& log_format) {
  const auto& s = tmpl.settings;
  io::run_options o;
  o.bind = s.bind;
  o.mqtt_port = s.ports.mqtt;
  o.ws_port = s.ports.ws;
  o.http_port = s.ports.http;
  o.aws_port = s.ports.aws;
  o.data_dir = data_dir.empty() ? std::filesystem::absolute(template_file).parent_path() / ".lambkin"
                                : std::filesystem::path(data_dir);
  o.tmpl = &tmpl;
  const char* runtime_dir = std::getenv("LAMBKIN_RUNTIME_DIR");
  o.runtime_dir = runtime_dir ? runtime_dir : LAMBKIN_DEFAULT_RUNTIME_DIR;
  o.json_logs = log_format == "json";
  o.status.template_path = template_file;
  o.status.functions = tmpl.functions.size();
  o.status.rules = tmpl.rules.size();
  o.status.routes = tmpl.routes.size();
  o.status.tables = tmpl.tables.size();
  return o;
}

}  // namespace lambkin::cli
