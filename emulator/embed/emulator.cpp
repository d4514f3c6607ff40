// The embedding API (include/lambkin/emulator.hpp): `lambkin run` in a thread of the host process.
#include "lambkin/emulator.hpp"

#include "emulator/config/parameters.hpp"
#include "emulator/config/template_loader.hpp"
#include "emulator/core/rules/rule_actions.hpp"
#include "emulator/io/app.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace lambkin {

struct emulator::impl {
  config::template_config tmpl;
  std::unique_ptr<io::app> app;
  std::thread thread;
  std::mutex mutex;
  std::condition_variable changed;
  bool ready = false;
  bool finished = false;
  int exit_code = 0;
  io::ready_ports ports;
};

namespace {

config::template_config load(const emulator_options& o) {
  config::load_options load;
  for (const auto& item : o.parameter_overrides) {
    auto kv = config::parse_parameter_override(item);
    if (!kv) throw emulator_error("parameter override '" + item + "': expected Key=Value");
    load.parameter_overrides[kv->first] = kv->second;
  }
  if (!o.timing.empty()) {
    load.overlay.timing = parse_timing_profile(o.timing);
    if (!load.overlay.timing) throw emulator_error("timing '" + o.timing + "': expected aws or fast");
  }
  auto result = config::load_template(o.template_file, load);
  if (!result.ok()) {
    std::string message;
    for (const auto& e : result.errors) message += e.to_string() + "\n";
    throw emulator_error(message);
  }
  if (const auto checked = rules::check_rules(result.config->rules); !checked.errors.empty()) {
    std::string message;
    for (const auto& e : checked.errors) message += e + "\n";
    throw emulator_error(message);
  }
  return std::move(*result.config);
}

}  // namespace

emulator::emulator(emulator_options options) : impl_(std::make_unique<impl>()) {
  impl_->tmpl = load(options);
  io::init_logging(io::log_format::text, options.log_level);

  io::run_options o;
  o.bind = "127.0.0.1";
  o.mqtt_port = o.ws_port = o.http_port = o.aws_port = 0;
  o.data_dir = options.data_dir;
  o.tmpl = &impl_->tmpl;
  if (!options.runtime_dir.empty()) o.runtime_dir = options.runtime_dir;
  else if (const char* env = std::getenv("LAMBKIN_RUNTIME_DIR")) o.runtime_dir = env;
  else o.runtime_dir = LAMBKIN_DEFAULT_RUNTIME_DIR;
  o.status.template_path = options.template_file.string();
  o.status.functions = impl_->tmpl.functions.size();
  o.status.rules = impl_->tmpl.rules.size();
  o.status.routes = impl_->tmpl.routes.size();
  o.status.tables = impl_->tmpl.tables.size();
  o.handle_signals = false;
  for (auto& entry : options.functions) {
    // Not a structured binding: clang 14 (the fuzz and sanitizer build) cannot capture one.
    const std::string& name = entry.first;
    auto& function = entry.second;
    const auto& fs = impl_->tmpl.functions;
    const bool known = std::any_of(fs.begin(), fs.end(), [&](const config::function_config& f) {
      return f.logical_id == name || f.name.value() == name;
    });
    if (!known) throw emulator_error("in-process function '" + name + "': the template defines no such function");
    if (!function.handler) throw emulator_error("in-process function '" + name + "': no handler");
    o.inprocess_functions.emplace(name, std::make_shared<const inprocess_function>(std::move(function)));
  }
  auto* self = impl_.get();
  o.on_ready = [self](const io::ready_ports& ports) {
    std::lock_guard lock(self->mutex);
    self->ports = ports;
    self->ready = true;
    self->changed.notify_all();
  };
  impl_->app = std::make_unique<io::app>(std::move(o));
  impl_->thread = std::thread([self] {
    const int code = self->app->run();
    std::lock_guard lock(self->mutex);
    self->exit_code = code;
    self->finished = true;
    self->changed.notify_all();
  });
  std::unique_lock lock(impl_->mutex);
  impl_->changed.wait(lock, [&] { return impl_->ready || impl_->finished; });
  if (!impl_->ready) {
    lock.unlock();
    impl_->thread.join();
    throw emulator_error("lambkin could not start (exit code " + std::to_string(impl_->exit_code) +
                         "); the reason is in its log on stderr");
  }
}

emulator::~emulator() { stop(); }

void emulator::stop() {
  if (!impl_->thread.joinable()) return;
  impl_->app->stop();
  impl_->thread.join();
}

std::uint16_t emulator::mqtt_port() const noexcept { return impl_->ports.mqtt.value_or(0); }
std::uint16_t emulator::http_port() const noexcept { return impl_->ports.http.value_or(0); }
std::uint16_t emulator::aws_port() const noexcept { return impl_->ports.aws.value_or(0); }
std::string emulator::aws_endpoint() const { return "http://127.0.0.1:" + std::to_string(aws_port()); }
std::string emulator::http_url() const { return "http://127.0.0.1:" + std::to_string(http_port()); }

}  // namespace lambkin
