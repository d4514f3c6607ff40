#include "emulator/io/mqtt/mqtt_server.hpp"

#include "emulator/io/net/listen.hpp"

#include "emulator/io/log.hpp"
#include "lambkin/clock.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <utility>
#include <vector>

namespace lambkin::io::mqtt {

mqtt_server::mqtt_server(net::any_io_executor executor, core::profile profile, std::string bind_address,
                         unsigned short port, server_options options)
    : executor_(std::move(executor)),
      broker_(std::move(profile)),
      bind_address_(std::move(bind_address)),
      requested_port_(port),
      options_(options),
      limits_(connection::adjusted(options.writes, broker_.profile().max_packet_size)),
      acceptor_(executor_),
      poller_(executor_, [this](std::uint64_t number, std::uint32_t events) { return tcp_ready(number, events); }),
      timers_(executor_, [this](std::uint64_t id) {
        core::broker_output_list out;
        broker_.on_timer(lambkin::timer_id{id}, clock::now(), out);
        execute(out);
      }) {
  // Lifecycle events carry epoch milliseconds; the core maps steady time onto this one reading.
  const auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  broker_.set_wall_clock(clock::now(), wall.count());
  poller_.set_batch_end([this] { flush_tcp_writes(); });
}

mqtt_server::~mqtt_server() {
  // Coroutines still suspended check `alive_` before touching the server again.
  *alive_ = false;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (const auto& c : connections_.snapshot()) c->abort();
  timers_.clear();
}

boost::system::error_code mqtt_server::listen() {
  boost::system::error_code ec;
  const auto address = net::ip::make_address(bind_address_, ec);
  if (ec) return ec;
  if (ec = listen_on(acceptor_, tcp::endpoint(address, requested_port_)); ec) return ec;
  return poller_.open();
}

unsigned short mqtt_server::port() const {
  boost::system::error_code ec;
  const auto ep = acceptor_.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void mqtt_server::start() { net::co_spawn(executor_, accept_loop(), net::detached); }

void mqtt_server::stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  core::broker_output_list out;
  broker_.on_shutdown(clock::now(), out);
  execute(out);
  // Connections that never sent CONNECT have no session for on_shutdown to close.
  for (const auto& c : connections_.snapshot()) {
    c->request_close();
    c->start_writer(c);
  }
  // The poller watches the connections until they are flushed and closed (`closed` closes it
  // after the last one), so that the io_context runs out of work once they are.
  if (connections_.empty()) poller_.close();
  timers_.clear();
}

std::error_code mqtt_server::publish(core::publish_request request) {
  core::broker_output_list out;
  const auto ec = broker_.publish(std::move(request), clock::now(), out);
  execute(out);
  return ec;
}

std::optional<core::listener_id> mqtt_server::add_listener(std::string_view filter) {
  return broker_.add_listener(filter);
}

bool mqtt_server::remove_listener(core::listener_id id) { return broker_.remove_listener(id); }

std::optional<core::retained_entry> mqtt_server::find_retained(std::string_view topic) {
  const auto* entry = broker_.retained().find(topic, clock::now());
  if (!entry) return std::nullopt;
  return *entry;
}

std::vector<core::retained_entry> mqtt_server::list_retained() { return broker_.retained().list(clock::now()); }

std::optional<core::profile> profile_named(std::string_view name) {
  if (name == "aws") return core::profile::aws();
  if (name == "standard") return core::profile::standard();
  return std::nullopt;
}

}  // namespace lambkin::io::mqtt
