#include "bench/lambkin_process.hpp"

#include <boost/json/parse.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace lambkin::bench {
namespace {

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string function_yaml(const std::string& name, const std::string& runtime, const std::string& handler,
                          const std::string& code_dir) {
  return "  " + name + ":\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: " + runtime +
         "\n      Handler: " + handler + "\n      CodeUri: " + code_dir + "\n";
}

constexpr const char* template_head = "Transform: AWS::Serverless-2016-10-31\nResources:\n";

}  // namespace

std::string echo_template(int count, const std::string& code_dir) {
  std::string t = template_head;
  for (int i = 0; i < count; ++i) t += function_yaml("Echo" + std::to_string(i), "provided.al2023", "echo", code_dir);
  return t;
}

std::string node_template(const std::string& code_dir) {
  return template_head + function_yaml("Echo0", "nodejs20.x", "handler.handler", code_dir);
}

lambkin_process::lambkin_process(const std::string& lambkin_exe, const std::string& template_text,
                                 const std::string& log_level, const std::vector<std::string>& extra_args) {
  std::string pattern = (std::filesystem::temp_directory_path() / "lambkin-bench-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  std::ofstream(dir_ / "template.yaml") << template_text;
  const auto ready = dir_ / "ready.json";
  std::vector<std::string> argv{lambkin_exe, "run", (dir_ / "template.yaml").string(), "--aws-port", "0",
                                "--mqtt-port", "0", "--ws-port", "0", "--http-port", "0", "--ready-file", ready.string(),
                                "--data-dir", (dir_ / "data").string(), "--log-level", log_level};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<child_process>(argv, dir_, dir_ / "stderr.log");

  // Polling with a short sleep is fine here: this is set-up, outside anything measured.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!std::filesystem::exists(ready)) {
    if (process_->exited() || std::chrono::steady_clock::now() > deadline) {
      // A throwing constructor runs no destructor: clean up here.
      const std::string log = stderr_text();
      process_.reset();
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
      throw std::runtime_error("lambkin did not become ready:\n" + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto ports = boost::json::parse(read_text(ready));
  aws_port_ = static_cast<unsigned short>(ports.at("aws").as_int64());
  if (const auto& http = ports.at("http"); http.is_int64()) http_port_ = static_cast<unsigned short>(http.as_int64());
  if (const auto& mqtt = ports.at("mqtt"); mqtt.is_int64()) mqtt_port_ = static_cast<unsigned short>(mqtt.as_int64());
  if (const auto& ws = ports.at("ws"); ws.is_int64()) ws_port_ = static_cast<unsigned short>(ws.as_int64());
  pid_ = static_cast<long>(ports.at("pid").as_int64());
}

lambkin_process::~lambkin_process() {
  process_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

int lambkin_process::stop() { return process_->stop(); }

std::string lambkin_process::stderr_text() const { return read_text(dir_ / "stderr.log"); }

}  // namespace lambkin::bench
