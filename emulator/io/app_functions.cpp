// lambkin run's functions (the Lambda service) and the rules engine that invokes them.
#include "emulator/io/app_impl.hpp"

namespace lambkin::io {
namespace net = boost::asio;
namespace {

/// The MQTT writers' barrier: the durable async queue's current batch is committed.
net::awaitable<void> flushed(store::async_event_store* queue) { (void)co_await queue->async_flushed(); }

}  // namespace

bool app::impl::start_functions() {
  auto& o = options;
  auto log = logger("lambkin");
  if (o.tmpl && !o.tmpl->functions.empty()) {
    lambda::host_settings hs;
    hs.region = o.tmpl->settings.region;
    hs.account_id = o.tmpl->settings.account_id;
    hs.aws_endpoint_url = scheme + "://127.0.0.1:" + std::to_string(aws->port());
    if (https && !o.https_ca.empty()) hs.node_extra_ca_certs = std::filesystem::absolute(o.https_ca).string();
    if (!o.access_keys.empty()) {
      hs.access_key_id = o.access_keys.front().id;
      hs.secret_access_key = o.access_keys.front().secret;
    }
    hs.runtime_dir = o.runtime_dir;
    hs.tmp_root = o.data_dir / "tmp";
    hs.timing = o.tmpl->settings.timing;
    hs.idle_retention = o.tmpl->settings.idle_retention;
    hs.json_logs = o.json_logs;
    hs.watch_code = o.watch_code;
    hs.versions_root = o.data_dir / "versions";
    hs.observer = &observatory;
    if (o.cpu_scaling) {
      std::string why;
      hs.cpu = lambda::cpu_cgroups::open(why);
      if (!hs.cpu) log->warn("--cpu-scaling: no effect, every environment gets all the CPU: {}", why);
    }
    hs.inprocess = o.inprocess_functions;
    hs.aws_direct = http::make_aws_direct(http::make_aws_endpoint(o.status, services));
    hs.async_store = async_store.get();
    if (!o.data_dir.empty()) hs.watch_exclude.push_back(std::filesystem::absolute(o.data_dir));
    std::error_code tec;
    std::filesystem::remove_all(hs.versions_root, tec);  // published versions of an earlier run
    std::filesystem::remove_all(hs.tmp_root, tec);       // environments of an earlier run
    std::filesystem::create_directories(hs.tmp_root, tec);
    if (tec) {
      log->error("{}: {}", hs.tmp_root.string(), tec.message());
      return false;
    }
    lambda = std::make_unique<lambda::lambda_service>(ioc.get_executor(), *o.tmpl, hs);
    std::string failed;
    if (auto lec = lambda->start(&failed)) {
      log->error(
          "function {}: its reserved or provisioned concurrency does not fit the account ({} of {}, "
          "at least {} unreserved)",
          failed, "concurrency", o.tmpl->settings.account_concurrency, o.tmpl->settings.unreserved_minimum);
      return false;
    }
    services.lambda = lambda.get();
    s3->set_functions(lambda.get());
  }

  return true;
}

bool app::impl::start_rules() {
  auto& o = options;
  auto log = logger("lambkin");
  {
    rules::engine_settings rs;
    if (o.tmpl) {
      rs.account_id = o.tmpl->settings.account_id;
      rs.region = o.tmpl->settings.region;
    }
    rules = std::make_unique<rules::rule_engine>(ioc.get_executor(), *broker, lambda.get(),
                                                 http::make_aws_endpoint(o.status, services), rs);
    if (o.tmpl) {
      if (auto err = rules->load(o.tmpl->rules)) {
        log->error("{}: {}", o.tmpl->source.string(), *err);
        return false;
      }
    }
    auto* engine = rules.get();
    broker->set_listener_sink([engine](const auto& m) { engine->on_message(m); });
    broker->set_rule_sink([engine](const auto& m) { engine->on_ingest(m); });
    if (mqtt) {  // PUBACKs wait for the durable async queue's commit
      auto* queue = async_store.get();
      mqtt->set_write_barrier({[queue] { return queue->pending(); }, [queue] { return flushed(queue); },
                               [queue] { return queue->failed_commits(); }});
    }
    services.rules = engine;
  }

  return true;
}

}  // namespace lambkin::io
