// function_host: environments of in-process functions (include/lambkin/function.hpp). The pool
// and the rest of function_host are the same as for runtime processes; here a worker thread
// (inprocess_environment) stands where the Runtime API listener and the process stand, and its
// reports are fed to the pool as theirs are.
#include "emulator/io/lambda/function_host.hpp"
#include "emulator/io/lambda/function_host_detail.hpp"

#include <sys/resource.h>

namespace lambkin::io::lambda {

std::uint32_t host_peak_rss_mb() {
  // RUSAGE_THREAD: Linux reports the process's peak RSS (its mm's high-water mark) for it too,
  // without summing every thread's CPU times as RUSAGE_SELF does (~2 % of the io thread at
  // 20,000 in-process invokes/s).
  rusage usage{};
  if (::getrusage(RUSAGE_THREAD, &usage) != 0) return 0;
  return static_cast<std::uint32_t>((usage.ru_maxrss + 1023) / 1024);  // ru_maxrss is in KB
}

void function_host::make_inprocess(environment_slot& s) {
  const auto env = s.id;
  inprocess_events events;
  events.on_ready = [this, env] {
    bool provisioned = false;
    if (auto* sl = slot(env)) {
      if (!sl->init_duration) sl->init_duration = clock::now() - sl->init_started;
      provisioned = sl->init_type == lam::initialization_type::provisioned_concurrency;
    }
    feed([=, this](lam::command_list& out) { pool_->on_environment_ready(env, clock::now(), out); });
    if (provisioned) log_provisioned_ready();
  };
  events.on_init_error = [this, env](std::string error_type, std::string body) {
    if (auto* sl = slot(env)) {
      sl->init_error_type = std::move(error_type);
      sl->init_error_body = std::move(body);
    }
    feed([=, this](lam::command_list& out) { pool_->on_init_failed(env, lam::init_failure::reported, clock::now(), out); });
  };
  events.on_answer = [this, env](std::string request_id, std::string body, bool error) {
    on_answer(env, request_id, std::move(body), "application/json", error);
  };
  events.on_log = [this, env](std::string request_id, std::string line) {
    auto* sl = slot(env);
    if (!sl) return;
    pending* p = nullptr;
    if (sl->current)
      if (auto it = pending_.find(sl->current->value()); it != pending_.end() && it->second->request_id == request_id)
        p = it->second.get();
    platform_log(line, p);
  };
  events.on_exit = [this, env] { on_exit(env, exit_status{}); };
  s.inproc = std::make_unique<inprocess_environment>(executor_, inprocess_, std::move(events), settings_.aws_direct);
}

void function_host::dispatch_inprocess(environment_slot& s, const lam::dispatch& c, pending& p) {
  const auto& cfg = record_of(s.version).config;
  invocation_context context;
  context.request_id = p.request_id;
  context.function_name = function_.name.value();
  context.function_version = version_name(s.version);
  context.invoked_function_arn = p.invoked_arn;
  context.memory_limit_mb = cfg.memory_mb;
  context.log_group_name = "/aws/lambda/" + function_.name.value();
  context.log_stream_name = s.log_stream;
  context.aws_endpoint_url = settings_.aws_endpoint_url;
  if (p.type == lam::invocation_type::sync) context.client_context = p.client_context;
  context.deadline = std::chrono::system_clock::now() +
                     std::chrono::duration_cast<std::chrono::system_clock::duration>(c.deadline - clock::now());
  s.inproc->deliver(std::move(context), p.payload);
}

}  // namespace lambkin::io::lambda
