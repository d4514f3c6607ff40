// libFuzzer target for the AWS IoT Data API (emulator/io/http/iot_data_api*): handle_iot_data, the
// endpoint's handler, against a real broker core (an mqtt_server that never listens) with one
// retained message. The input is parsed as HTTP/1.1 requests (http_input.hpp), which go to the
// handler in order (a Publish with retain=true can be read back by the next request).
// Build: -DLAMBKIN_BUILD_FUZZ=ON with clang; run:
//   ./iot_data_fuzz -max_total_time=60 -max_len=4096 fuzz/corpus/iot_data
#include "emulator/io/http/iot_data_api.hpp"
#include "emulator/io/mqtt/mqtt_server.hpp"
#include "fuzz/http_input.hpp"

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

namespace http = lambkin::io::http;
namespace mqtt = lambkin::io::mqtt;

http::request publish(std::string_view target, std::string body) {
  http::request req{boost::beast::http::verb::post, target, 11};
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  boost::asio::io_context ioc;
  mqtt::mqtt_server broker(ioc.get_executor(), lambkin::mqtt::profile::aws(), "127.0.0.1", 0);
  if (http::handle_iot_data(broker, publish("/topics/things%2Fa?qos=1&retain=true", "{\"t\":1}")).result_int() != 200)
    std::abort();  // the fixture itself must work
  for (const auto& req : lambkin::fuzz::parse_requests(bytes, 256 * 1024)) {
    const std::string_view path(req.target().data(), req.target().size());
    if (!http::is_iot_data_path(path.substr(0, path.find('?')))) continue;
    const auto res = http::handle_iot_data(broker, req);
    if (res.result_int() >= 500) std::abort();  // every refusal is the API's own 4xx
    ioc.restart();  // an io_context that ran out of work is stopped until restarted
    ioc.poll();
  }
  broker.stop();
  ioc.restart();
  ioc.poll();
  return 0;
}
