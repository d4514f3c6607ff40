#include "emulator/io/app.hpp"

#include "emulator/io/http/http_server.hpp"
#include "emulator/io/ready_file.hpp"
#include "lambkin/clock.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <unistd.h>

namespace lambkin::io {
namespace net = boost::asio;

struct app::impl {
  run_options options;
  net::io_context ioc{1};
  std::unique_ptr<http::http_server> aws;
};

app::app(run_options options) : impl_(std::make_unique<impl>()) { impl_->options = std::move(options); }
app::~app() = default;

void app::stop() {
  net::post(impl_->ioc, [this] {
    if (impl_->aws) impl_->aws->stop();
    impl_->ioc.stop();
  });
}

int app::run() {
  auto& o = impl_->options;
  auto log = logger("lambkin");
  boost::system::error_code ec;
  const auto address = net::ip::make_address(o.bind, ec);
  if (ec) {
    log->error("--bind {}: not an IP address", o.bind);
    return 1;
  }
  if (!o.data_dir.empty()) {
    std::error_code fec;
    std::filesystem::create_directories(o.data_dir, fec);
    if (fec) {
      log->error("--data-dir {}: {}", o.data_dir.string(), fec.message());
      return 1;
    }
  }

  o.status.started = lambkin::clock::now();
  impl_->aws = std::make_unique<http::http_server>(impl_->ioc.get_executor(), "aws",
                                                   http::make_aws_endpoint(o.status));
  if (auto lec = impl_->aws->listen({address, o.aws_port})) {
    log->error("AWS endpoint: cannot listen on {}:{}: {}", o.bind, o.aws_port, lec.message());
    return 1;
  }
  impl_->aws->start();
  log->info("AWS endpoint listening on http://{}:{}", o.bind, impl_->aws->port());

  net::signal_set signals(impl_->ioc, SIGINT, SIGTERM);
  signals.async_wait([this, log](const boost::system::error_code& sec, int sig) {
    if (sec) return;
    log->info("{} received, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
    impl_->aws->stop();
    impl_->ioc.stop();
  });

  if (o.ready_file) {
    ready_ports ports;
    ports.aws = impl_->aws->port();
    if (auto wec = write_ready_file(*o.ready_file, ports, static_cast<long>(::getpid()))) {
      log->error("--ready-file {}: {}", o.ready_file->string(), wec.message());
      return 1;
    }
  }

  impl_->ioc.run();
  impl_->aws.reset();
  log->info("stopped");
  return 0;
}

}  // namespace lambkin::io
