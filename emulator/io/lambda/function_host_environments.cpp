// function_host: execution environments — spawning runtimes, handing them events, stopping them,
// and the platform log lines around each init and invocation.
#include "emulator/core/lambda/log_lines.hpp"
#include "emulator/io/lambda/cold_trace.hpp"
#include "emulator/io/lambda/environment_variables.hpp"
#include "emulator/io/lambda/function_host.hpp"
#include "emulator/io/lambda/function_host_detail.hpp"
#include "emulator/io/lambda/runtime_api_protocol.hpp"
#include "emulator/io/log.hpp"

#include <cstdlib>

namespace lambkin::io::lambda {
namespace {

/// The first `name` found on PATH, or `name` itself (exec then fails with ENOENT, reported as
/// Runtime.InvalidEntrypoint).
std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const auto dir = rest.substr(0, colon);
    const auto candidate = std::filesystem::path(dir) / name;
    if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return name;
}

/// The AWS SDKs a Node.js environment sees after its own node_modules: lambkin's
/// LAMBKIN_NODE_SDK_PATH when set (empty: none), else runtime/nodejs/sdk (scripts/npm-deps
/// installs it from its package-lock.json).
std::string node_sdk_path(const std::filesystem::path& runtime_dir) {
  if (const char* given = std::getenv("LAMBKIN_NODE_SDK_PATH")) return given;
  return (runtime_dir / "nodejs" / "sdk").string();
}

}  // namespace

function_host::environment_slot* function_host::slot(environment_id env) {
  auto it = environments_.find(env.value());
  return it == environments_.end() ? nullptr : it->second.get();
}

spawn_spec function_host::make_spawn_spec(environment_slot& s) {
  // Each environment is built from its own version's code and configuration.
  const auto& cfg = record_of(s.version).config;
  spawn_spec spec;
  spec.name = function_.name.value();
  spec.working_dir = cfg.code_dir;
  spec.memory_limit_mb = cfg.memory_mb;
  spec.tmp_limit_mb = cfg.ephemeral_storage_mb;
  // With a tmpfs of its own in its own mount namespace, the environment's /tmp is private on a
  // directory all of them share: no directory to make per cold start.
  spec.tmp_dir_shared = spec.tmp_limit_mb > 0 && private_tmpfs_supported();
  spec.tmp_dir = spec.tmp_dir_shared ? private_tmpfs_mount_point(settings_.tmp_root)
                                     : private_tmp_dir(settings_.tmp_root, s.id);
  if (settings_.cpu) {
    std::error_code ec;
    spec.cgroup_dir = settings_.cpu->prepare(s.id, cfg.memory_mb, ec);
    if (ec)
      logger("lambda")->warn("{}: --cpu-scaling: cannot prepare a cgroup under {}: {}; this environment's CPU is not "
                             "limited", function_.name.value(), settings_.cpu->root().string(), ec.message());
  }
  const auto& rt = cfg.runtime;
  std::string sdk_path;
  if (rt.starts_with("provided")) {
    spec.executable = (cfg.code_dir / "bootstrap").string();
  } else if (rt.starts_with("nodejs")) {
    spec.executable = find_on_path("node");
    spec.args = {(settings_.runtime_dir / "nodejs" / "bootstrap.mjs").string()};
    sdk_path = node_sdk_path(settings_.runtime_dir);
  } else if (rt.starts_with("python")) {
    spec.executable = find_on_path("python3");
    spec.args = {(settings_.runtime_dir / "python" / "bootstrap.py").string()};
  }
  environment_inputs in;
  in.function_name = function_.name.value();
  in.version = version_name(s.version);
  in.memory_mb = cfg.memory_mb;
  in.handler = cfg.handler;
  in.runtime = rt;
  in.runtime_api = s.server->address();
  in.initialization_type = std::string(lam::to_string(s.init_type));
  in.region = settings_.region;
  in.aws_endpoint_url = settings_.aws_endpoint_url;
  in.access_key_id = settings_.access_key_id;
  in.secret_access_key = settings_.secret_access_key;
  in.log_stream = s.log_stream;
  in.task_root = cfg.code_dir.string();
  in.runtime_dir = settings_.runtime_dir.string();
  in.tmp_dir = spec.tmp_dir.string();
  if (const char* path = std::getenv("PATH")) in.host_path = path;
  in.node_sdk_path = std::move(sdk_path);
  in.node_extra_ca_certs = settings_.node_extra_ca_certs;
  in.user = cfg.environment;
  spec.environment = lambda_environment(in);
  return spec;
}

void function_host::run(const lam::start_environment& c) {
  cold_trace("start_environment", c.env.value());
  auto s = std::make_unique<environment_slot>();
  s->id = c.env;
  s->version = c.version;
  s->init_type = c.init_type;
  s->log_stream = ids_.log_stream_name(wall_now_ms(), version_name(c.version));
  observe::emit(settings_.observer, observe::event_kind::created, function_.name.value(), c.env.value(), {},
                lam::to_string(c.init_type), -1, false, version_name(c.version));
  const auto env = c.env;
  runtime_api_events events;
  events.on_ready = [this, env] {
    cold_trace("first_next", env.value());
    bool provisioned = false;
    if (auto* sl = slot(env)) {
      if (!sl->init_duration) sl->init_duration = clock::now() - sl->init_started;
      provisioned = sl->init_type == lam::initialization_type::provisioned_concurrency;
    }
    feed([=, this](lam::command_list& out) { pool_->on_environment_ready(env, clock::now(), out); });
    if (provisioned) log_provisioned_ready();
  };
  events.on_response = [this, env](std::string request_id, std::string body, std::string content_type) {
    on_answer(env, request_id, std::move(body), content_type.empty() ? "application/json" : content_type, false);
  };
  events.on_error = [this, env](std::string request_id, std::string, std::string body) {
    on_answer(env, request_id, std::move(body), "application/json", true);
  };
  events.on_response_too_large = [this, env](std::string request_id, std::uint64_t size) {
    on_answer(env, request_id, response_too_large_error(size), "application/json", true);
  };
  events.on_init_error = [this, env](std::string error_type, std::string body) {
    if (auto* sl = slot(env)) {
      sl->init_error_type = error_type;
      sl->init_error_body = body;
    }
    feed([=, this](lam::command_list& out) { pool_->on_init_failed(env, lam::init_failure::reported, clock::now(), out); });
  };
  if (inprocess_) {
    auto* raw = s.get();
    environments_.emplace(env.value(), std::move(s));
    make_inprocess(*raw);
    spawn(*raw);
    return;
  }
  s->server = std::make_unique<runtime_api_server>(executor_, std::move(events));
  auto* raw = s.get();
  environments_.emplace(env.value(), std::move(s));
  if (auto ec = raw->server->start()) {
    logger("lambda")->error("{}: cannot open a Runtime API listener: {}", function_.name.value(), ec.message());
    feed([=, this](lam::command_list& out) {
      pool_->on_init_failed(env, lam::init_failure::invalid_entrypoint, clock::now(), out);
    });
    return;
  }
  cold_trace("listener", env.value());
  spawn(*raw);
}

bool function_host::spawn(environment_slot& s) {
  s.init_started = clock::now();
  s.init_duration.reset();
  observe::emit(settings_.observer, observe::event_kind::init_start, function_.name.value(), s.id.value());
  platform_log(settings_.json_logs ? lam::init_start_json(wall_now_ms(), runtime_version_, function_.name.value(),
                                                          version_name(s.version), s.init_type)
                                   : lam::init_start_line(runtime_version_),
               nullptr);
  cold_trace("init_start_logged", s.id.value());
  if (s.inproc) {
    s.inproc->start_init();
    return true;
  }
  const auto env = s.id;
  if (!s.process) {
    process_callbacks cb;
    cb.on_output = [this, env](output_stream stream, std::string_view line) {
      if (auto* sl = slot(env)) on_output(*sl, stream, line);
    };
    cb.on_out_of_memory = [this, env] {
      if (slot(env)) feed([=, this](lam::command_list& out) { pool_->on_out_of_memory(env, clock::now(), out); });
    };
    cb.on_exit = [this, env](exit_status status) { on_exit(env, status); };
    s.process = std::make_unique<process_environment>(executor_, make_spawn_spec(s), std::move(cb));
  }
  cold_trace("spawn_spec", s.id.value());
  if (auto err = s.process->spawn()) {
    logger("lambda")->error("{}: cannot start the runtime ({}): {}", function_.name.value(),
                            s.process->spec().executable, to_string(*err));
    s.init_error_type = "Runtime.InvalidEntrypoint";
    feed([=, this](lam::command_list& out) {
      pool_->on_init_failed(env, lam::init_failure::invalid_entrypoint, clock::now(), out);
    });
    return false;
  }
  cold_trace("spawned", s.id.value());
  return true;
}

void function_host::run(const lam::dispatch& c) {
  cold_trace("dispatch", c.env.value());
  auto* s = slot(c.env);
  auto it = pending_.find(c.invocation.value());
  if (!s || it == pending_.end()) return;
  auto& p = *it->second;
  p.body.clear();
  p.function_error = false;
  p.log.clear();
  s->current = c.invocation;
  s->invoke_started = clock::now();
  s->cold = c.cold;
  if ((s->process && (s->process->frozen() || s->process->freeze_pending())) || (s->inproc && s->inproc->frozen)) {
    if (s->process) s->process->thaw();
    if (s->inproc) s->inproc->frozen = false;
    observe::emit(settings_.observer, observe::event_kind::thawed, function_.name.value(), c.env.value());
  }
  observe::emit(settings_.observer, observe::event_kind::invoke_start, function_.name.value(), c.env.value(),
                p.request_id, p.type == lam::invocation_type::async ? "async" : "sync", -1, c.cold,
                version_name(s->version));
  platform_log(settings_.json_logs ? lam::start_json(wall_now_ms(), p.request_id, version_name(s->version))
                                   : lam::start_line(p.request_id, version_name(s->version)),
               &p);
  if (s->inproc) {
    dispatch_inprocess(*s, c, p);
    return;
  }
  invocation_event event;
  event.request_id = p.request_id;
  event.payload = p.payload;
  event.deadline_epoch_ms = wall_now_ms() + std::chrono::duration_cast<milliseconds>(c.deadline - clock::now()).count();
  event.invoked_function_arn = p.invoked_arn;
  event.trace_id = ids_.trace_id(wall_now_ms());
  if (p.type == lam::invocation_type::sync) event.client_context = p.client_context;
  s->server->deliver(std::move(event));
  cold_trace("delivered", c.env.value());
}

void function_host::on_answer(environment_id env, const std::string& request_id, std::string body,
                              std::string content_type, bool error) {
  cold_trace("answer", env.value());
  auto* s = slot(env);
  if (!s || !s->current) return;
  auto it = pending_.find(s->current->value());
  if (it == pending_.end() || it->second->request_id != request_id) return;
  auto& p = *it->second;
  p.body = std::move(body);
  p.content_type = std::move(content_type);
  p.function_error = error;
  const auto inv = *s->current;
  report(*s, &p, error ? lam::report_status::function_error : lam::report_status::success, {});
  feed([=, this](lam::command_list& out) {
    pool_->on_invocation_done(env, inv, error ? lam::invocation_result::function_error : lam::invocation_result::success,
                              clock::now(), out);
  });
}

void function_host::report(environment_slot& s, pending* p, lam::report_status status, std::string_view error_type) {
  if (!s.current) return;
  const auto elapsed = clock::now() - s.invoke_started;
  const auto request_id = p ? p->request_id : std::string();
  if (status == lam::report_status::timeout)
    platform_log(settings_.json_logs ? lam::timeout_json(wall_now_ms(), request_id, elapsed)
                                     : lam::timeout_line(wall_now_ms(), request_id, elapsed),
                 p);
  if (s.process) s.process->sample_memory();
  lam::report_fields r;
  r.request_id = request_id;
  r.elapsed = elapsed;
  r.memory_size_mb = static_cast<std::uint32_t>(record_of(s.version).config.memory_mb);
  r.max_memory_used_mb = s.process  ? static_cast<std::uint32_t>(s.process->peak_rss_mb())
                         : s.inproc ? host_peak_rss_mb()
                                    : 0;
  if (s.cold && s.init_duration) r.init_duration = *s.init_duration;
  r.status = status;
  r.error_type = error_type;
  if (!settings_.json_logs) platform_log(lam::end_line(request_id), p);
  platform_log(settings_.json_logs ? lam::report_json(wall_now_ms(), r) : lam::report_line(r), p);
  observe_report(s, p, status, error_type, to_ms(elapsed));
  s.current.reset();
  s.cold = false;
}

void function_host::run(const lam::freeze& c) {
  if (auto* s = slot(c.env); s && s->inproc && !s->inproc->frozen) {
    s->inproc->frozen = true;  // its worker waits for the next event: nothing runs
    observe::emit(settings_.observer, observe::event_kind::frozen, function_.name.value(), c.env.value());
  } else if (s && s->process && s->process->running()) {
    s->process->freeze_after(settings_.freeze_grace);
    observe::emit(settings_.observer, observe::event_kind::frozen, function_.name.value(), c.env.value());
  }
}

void function_host::run(const lam::retry_init& c) {
  auto* s = slot(c.env);
  if (!s) return;
  if (s->inproc) {
    spawn(*s);  // INIT_START again; a worker stuck in the old init is abandoned
    return;
  }
  s->server->reset();
  if (s->process && s->process->running()) {
    s->respawn_on_exit = true;  // spawn again once the old runtime is gone
    s->process->kill();
  } else {
    spawn(*s);
  }
}

void function_host::run(const lam::stop_environment& c) {
  auto it = environments_.find(c.env.value());
  if (it == environments_.end()) return;
  auto& s = *it->second;
  if (s.current) {
    auto p = pending_.find(s.current->value());
    const auto status = c.reason == lam::stop_reason::timeout ? lam::report_status::timeout : lam::report_status::error;
    const std::string_view type = c.reason == lam::stop_reason::out_of_memory ? "Runtime.OutOfMemory"
                                  : c.reason == lam::stop_reason::crashed     ? "Runtime.ExitError"
                                                                              : "";
    report(s, p == pending_.end() ? nullptr : p->second.get(), status, type);
  }
  s.stopped = true;
  s.respawn_on_exit = false;
  if (s.server) s.server->close();
  logger("lambda")->debug("{}: environment {} stopped ({})", function_.name.value(), c.env.value(),
                          lam::to_string(c.reason));
  auto owned = std::move(it->second);
  environments_.erase(it);
  const bool graceful = c.reason == lam::stop_reason::reaped || c.reason == lam::stop_reason::retired ||
                        c.reason == lam::stop_reason::shutdown;
  observe::emit(settings_.observer,
                c.reason == lam::stop_reason::reaped ? observe::event_kind::reaped
                : graceful                           ? observe::event_kind::stopped
                                                     : observe::event_kind::killed,
                function_.name.value(), c.env.value(), {}, lam::to_string(c.reason));
  if (owned->inproc && owned->inproc->running()) {
    owned->inproc->retire();  // its worker ends after its current job (on_exit), or is abandoned
    stopping_.emplace(c.env.value(), std::move(owned));
    return;
  }
  if (owned->process && owned->process->running()) {
    if (graceful) {
      owned->process->terminate(std::chrono::seconds(2));
    } else {
      owned->process->kill();
    }
    stopping_.emplace(c.env.value(), std::move(owned));  // reaped in on_exit
  }
}

void function_host::run(const lam::init_report& c) {
  observe::emit(settings_.observer, observe::event_kind::init_end, function_.name.value(), c.env.value(), {},
                lam::to_string(c.status), to_ms(c.elapsed));
  if (c.status == lam::init_status::success && c.phase == lam::init_phase::init) return;  // INIT_START suffices
  const auto status = c.status == lam::init_status::success ? lam::report_status::success
                      : c.status == lam::init_status::timeout ? lam::report_status::timeout
                                                              : lam::report_status::error;
  std::string_view type;
  if (auto* s = slot(c.env); s && c.status == lam::init_status::error) type = s->init_error_type;
  platform_log(settings_.json_logs ? lam::init_report_json(wall_now_ms(), c.elapsed, c.phase, status, type)
                                   : lam::init_report_line(c.elapsed, c.phase, status, type),
               nullptr);
}

void function_host::on_output(environment_slot& s, output_stream, std::string_view line) {
  pending* p = nullptr;
  if (s.current)
    if (auto it = pending_.find(s.current->value()); it != pending_.end()) p = it->second.get();
  platform_log(std::string(line), p);
}

void function_host::on_exit(environment_id env, exit_status status) {
  if (auto it = stopping_.find(env.value()); it != stopping_.end()) {
    // A stopped environment's process is gone: drop it (after this callback returns).
    net::post(executor_, [this, alive = alive_, id = env.value()] {
      if (*alive) stopping_.erase(id);
    });
    return;
  }
  auto* s = slot(env);
  if (!s) return;
  if (s->respawn_on_exit) {
    s->respawn_on_exit = false;
    net::post(executor_, [this, alive = alive_, env] {
      if (!*alive) return;
      if (auto* sl = slot(env)) spawn(*sl);
    });
    return;
  }
  logger("lambda")->warn("{}: runtime exited ({})", function_.name.value(), to_string(status));
  feed([=, this](lam::command_list& out) {
    pool_->on_environment_exited(env, lam::exit_status{status.signaled, status.value}, clock::now(), out);
  });
}

void function_host::platform_log(const std::string& line, pending* p) {
  // Looked up once: logger() takes a lock and builds a string; loggers live as long as the process.
  static const auto lambda_log = logger("lambda");
  lambda_log->info("{} {}", function_.name.value(), line);
  if (!p) return;
  p->log += line;
  p->log += '\n';
  if (p->log.size() > 2 * log_tail_limit) p->log.erase(0, p->log.size() - log_tail_limit);
}

}  // namespace lambkin::io::lambda
