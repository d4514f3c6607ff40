// function_host: what the observer (timeline, metrics, dashboard) learns of each finished attempt.
#include "emulator/io/lambda/function_host.hpp"
#include "emulator/io/lambda/function_host_detail.hpp"

namespace lambkin::io::lambda {

void function_host::observe_report(const environment_slot& s, const pending* p, lam::report_status status,
                                   std::string_view error_type, double elapsed_ms) {
  auto* o = settings_.observer;
  if (!o) return;
  std::string outcome;
  switch (status) {
    case lam::report_status::success: outcome = "success"; break;
    case lam::report_status::function_error: outcome = "function_error"; break;
    case lam::report_status::timeout: outcome = "timeout"; break;
    default: outcome = error_type.empty() ? "error" : std::string(error_type); break;
  }
  const auto request_id = p ? p->request_id : std::string();
  observe::lifecycle_event e;
  e.at_us = observe::wall_now_us();
  e.kind = observe::event_kind::invoke_end;
  e.function = function_.name.value();
  e.env = s.id.value();
  e.request_id = request_id;
  e.detail = outcome;
  e.duration_ms = elapsed_ms;
  e.cold = s.cold;
  e.version = version_name(s.version);
  o->on_lifecycle(e);

  observe::invocation_record r;
  r.at_us = e.at_us;
  r.function = e.function;
  r.request_id = request_id;
  r.version = e.version;
  r.env = e.env;
  r.cold = s.cold;
  r.outcome = std::move(outcome);
  r.duration_ms = elapsed_ms;
  if (s.cold && s.init_duration) r.init_duration_ms = to_ms(*s.init_duration);
  if (p) {
    r.payload = observe::cut_text(p->payload);
    r.response = observe::cut_text(p->body);
    r.log = p->log.size() > log_tail_limit ? p->log.substr(p->log.size() - log_tail_limit) : p->log;
  }
  o->on_invocation(std::move(r));
}

}  // namespace lambkin::io::lambda
