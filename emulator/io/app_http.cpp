// lambkin run's HTTP side: the AWS endpoint (SigV4 with --require-auth, HTTPS) and the HTTP API.
#include "emulator/io/app_impl.hpp"

namespace lambkin::io {
namespace net = boost::asio;

bool app::impl::start_aws_endpoint() {
  auto& o = options;
  auto log = logger("lambkin");
  o.status.started = lambkin::clock::now();
  services.observe = &observatory;
  if (o.require_auth && o.access_keys.empty())
    o.access_keys.push_back({std::string(lambda::dummy_access_key), std::string(lambda::dummy_secret_key)});
  auto aws_handler = http::make_aws_endpoint(o.status, services);
  if (o.require_auth) {
    aws_handler = http::require_sigv4(std::move(aws_handler), o.access_keys,
                                      o.tmpl ? o.tmpl->settings.region : std::string("us-east-1"));
    log->info("--require-auth: the AWS endpoint takes only SigV4 requests signed with {} configured key(s)",
              o.access_keys.size());
  }
  if (!o.https_cert.empty() || !o.https_key.empty()) {
    if (o.https_cert.empty() || o.https_key.empty()) {
      log->error("--https-cert and --https-key go together (PEM files; see lambkin certs)");
      return false;
    }
    std::string why;
    https = http::make_https_context(o.https_cert.string(), o.https_key.string(), why);
    if (!https) {
      log->error("{}", why);
      return false;
    }
  }
  https_api = https;  // --https-client-ca: the HTTP API's own, verifying clients
  if (https && !o.https_client_ca.empty()) {
    std::string why;
    https_api = http::make_https_context(o.https_cert.string(), o.https_key.string(), why, o.https_client_ca.string());
    if (!https_api) {
      log->error("{}", why);
      return false;
    }
  }
  scheme = https ? "https" : "http";
  auto aws_options = http::aws_endpoint_options();
  aws_options.tls = https;
  aws = std::make_unique<http::http_server>(ioc.get_executor(), "aws", std::move(aws_handler), std::move(aws_options));
  if (auto lec = aws->listen({address, o.aws_port})) {
    log->error("AWS endpoint: cannot listen on {}:{}: {}", o.bind, o.aws_port, lec.message());
    return false;
  }
  aws->start();
  log->info("AWS endpoint listening on {}://{}:{}", scheme, o.bind, aws->port());

  return true;
}

bool app::impl::start_http_api() {
  auto& o = options;
  auto log = logger("lambkin");
  if (lambda && http::http_api::has_routes(*o.tmpl)) {
    http_api = std::make_unique<http::http_api>(*lambda, *o.tmpl);
    auto http_options = http_api->make_server_options();
    http_options.tls = https_api;
    http_listener = std::make_unique<http::http_server>(ioc.get_executor(), "http", http::handler{},
                                                        std::move(http_options));  // with_peer answers
    if (auto hec = http_listener->listen({address, o.http_port})) {
      log->error("HTTP API: cannot listen on {}:{}: {}", o.bind, o.http_port, hec.message());
      return false;
    }
    http_api->set_port(http_listener->port());
    http_api->set_scheme(scheme);
    http_listener->start();
    log->info("HTTP API listening on {}://{}:{} ({} routes)", scheme, o.bind, http_listener->port(),
              o.tmpl->routes.size());
  }

  return true;
}

}  // namespace lambkin::io
