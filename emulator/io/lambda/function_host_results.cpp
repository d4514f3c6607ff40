// function_host: what a caller gets back — the pool's `reply` turned into the Invoke API's
// answer (body, executed version, log tail), with AWS's error documents for platform failures.
#include "emulator/core/lambda/log_lines.hpp"
#include "emulator/io/lambda/function_host.hpp"
#include "emulator/io/lambda/function_host_detail.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace lambkin::io::lambda {

invoke_result function_host::result_of(const lam::reply& r) {
  invoke_result out;
  out.outcome = r.outcome;
  auto it = pending_.find(r.invocation.value());
  if (it == pending_.end()) return out;
  auto& p = *it->second;
  out.request_id = p.request_id;
  out.executed_version = version_name(p.version);
  switch (r.outcome.kind) {
    case lam::outcome_kind::success:
    case lam::outcome_kind::function_error:
      out.body = p.body;
      out.content_type = p.content_type;
      break;
    case lam::outcome_kind::init_error: {
      auto* s = slot(r.env);
      if (s && !s->init_error_body.empty()) {
        out.body = s->init_error_body;
      } else {
        boost::json::object o;
        o["errorType"] = r.outcome.init == lam::init_failure::invalid_entrypoint ? "Runtime.InvalidEntrypoint"
                                                                                  : "Runtime.ExitError";
        o["errorMessage"] = r.outcome.init == lam::init_failure::invalid_entrypoint
                                ? "RequestId: " + p.request_id + " Error: Couldn't find valid bootstrap(s): [" +
                                      (record_of(p.version).config.code_dir / "bootstrap").string() + "]"
                                : "RequestId: " + p.request_id + " Error: Runtime exited with error: " +
                                      lam::describe_exit(r.outcome.exit);
        out.body = boost::json::serialize(o);
      }
      break;
    }
    case lam::outcome_kind::timeout: {
      boost::json::object o;
      o["errorType"] = "Sandbox.Timedout";
      o["errorMessage"] = wall_iso_now() + " " + p.request_id + " " + lam::timeout_message(r.outcome.elapsed);
      out.body = boost::json::serialize(o);
      break;
    }
    case lam::outcome_kind::exit_error:
    case lam::outcome_kind::out_of_memory: {
      if (auto* s = slot(r.env); s && s->current && *s->current == r.invocation) {
        report(*s, &p, lam::report_status::error, lam::error_type(r.outcome));
      }
      boost::json::object o;
      o["errorType"] = lam::error_type(r.outcome);
      o["errorMessage"] = lam::error_message(r.outcome, p.request_id);
      out.body = boost::json::serialize(o);
      break;
    }
    case lam::outcome_kind::throttled:
      out.body = "Rate Exceeded.";
      break;
    case lam::outcome_kind::aborted:
      out.body = "lambkin is shutting down";
      break;
  }
  if (r.outcome.kind == lam::outcome_kind::timeout)
    if (auto* s = slot(r.env); s && s->current && *s->current == r.invocation)
      report(*s, &p, lam::report_status::timeout, {});
  out.log_tail = p.log.size() > log_tail_limit ? p.log.substr(p.log.size() - log_tail_limit) : p.log;
  return out;
}

}  // namespace lambkin::io::lambda
