#pragma once
// Test support for http_server's tests (plain and TLS): the server runs on the test's io_context
// while a client runs on a thread.
#include "emulator/io/http/http_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <future>

namespace lambkin::test {

/// Runs `client(port)` on a thread while the server's io_context runs here; stops the server and
/// the io_context when the client returns, and gives back what it returned.
template <class F>
auto with_server(boost::asio::io_context& ioc, io::http::http_server& server, F client) {
  auto done = std::async(std::launch::async, [&] {
    struct stopper {
      boost::asio::io_context& ioc;
      io::http::http_server& s;
      ~stopper() {
        // Capture the referents, not `this`: the stopper is gone when the handler runs.
        boost::asio::post(ioc, [&ctx = ioc, &server = s] {
          server.stop();
          ctx.stop();
        });
      }
    } stop{ioc, server};
    return client(server.port());
  });
  ioc.run();
  return done.get();
}

}  // namespace lambkin::test
