#include "emulator/io/lambda/lambda_service.hpp"

#include "emulator/io/lambda/process_launcher.hpp"
#include "emulator/io/log.hpp"

namespace lambkin::io::lambda {

lambda_service::lambda_service(net::any_io_executor executor, const config::template_config& tmpl,
                               host_settings settings)
    : executor_(std::move(executor)),
      tmpl_(tmpl),
      settings_(std::move(settings)),
      account_(lam::account_settings{static_cast<std::uint32_t>(tmpl.settings.account_concurrency),
                                     static_cast<std::uint32_t>(tmpl.settings.unreserved_minimum)}) {}

lambda_service::~lambda_service() { hosts_.clear(); }

std::error_code lambda_service::start(std::string* failed_function) {
  for (const auto& f : tmpl_.functions) {
    if (auto ec = function_host::validate(f, settings_, account_)) {
      if (failed_function) *failed_function = f.name.value();
      hosts_.clear();
      return ec;
    }
    auto record = [this](destination_delivery d) {
      records_.push_back(std::move(d));
      if (records_.size() > 1000) records_.pop_front();
    };
    hosts_.emplace(f.name.value(), std::make_unique<function_host>(executor_, f, settings_, account_, record));
  }
  log_sandbox();
  for (auto& [name, host] : hosts_) host->start();
  if (settings_.async_store) restore();
  if (settings_.watch_code)
    logger("lambda")->info("hot reload: watching the code of {} functions (--no-watch turns it off)", hosts_.size());
  return {};
}

void lambda_service::log_sandbox() const {
  // Which way each limit of §4 is enforced on this machine, said once.
  std::string why;
  if (private_tmpfs_supported(&why))
    logger("lambda")->info("/tmp: a private tmpfs of EphemeralStorage's size per environment (own mount namespace)");
  else
    logger("lambda")->warn("/tmp: cannot give environments their own size-limited tmpfs ({}); usage over "
                           "EphemeralStorage is measured after each invoke and warned about instead", why);
  if (settings_.cpu)
    logger("lambda")->info("--cpu-scaling: {} vCPU per 1769 MB of MemorySize, through cgroup {} at {}",
                           1, settings_.cpu->kind() == cpu_cgroups::version::v2 ? "v2" : "v1",
                           settings_.cpu->root().string());
}

void lambda_service::restore() {
  std::map<std::string, std::vector<store::stored_event>> by_function;
  std::size_t restored = 0, orphaned = 0;
  for (auto& e : settings_.async_store->unfinished()) {
    if (hosts_.contains(e.function)) {
      ++restored;
      by_function[e.function].push_back(std::move(e));
    } else {
      ++orphaned;
    }
  }
  for (const auto& [name, events] : by_function) hosts_.at(name)->restore(events);
  logger("lambda")->info("restored {} async events", restored);
  if (orphaned > 0)
    logger("lambda")->warn("{} stored async events are for functions this template does not define; kept for later",
                           orphaned);
}

void lambda_service::shutdown() {
  for (auto& [name, host] : hosts_) host->shutdown();
}

bool lambda_service::stopping() const {
  for (const auto& [name, host] : hosts_)
    if (host->stopping()) return true;
  return false;
}

function_host* lambda_service::find(const std::string& name) {
  auto it = hosts_.find(name);
  return it == hosts_.end() ? nullptr : it->second.get();
}

}  // namespace lambkin::io::lambda
