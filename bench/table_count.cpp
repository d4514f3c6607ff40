// Items in a DynamoDB table through lambkin's AWS endpoint: Scan COUNT over one keep-alive connection.
#include "table_count.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace lambkin::bench {

std::size_t count_items(std::uint16_t aws_port, const std::string& table) {
  namespace http = boost::beast::http;
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket s(io);
  s.connect({boost::asio::ip::make_address("127.0.0.1"), aws_port});
  boost::beast::flat_buffer buf;
  std::size_t total = 0;
  std::string start_key;
  for (;;) {
    http::request<http::string_body> req{http::verb::post, "/", 11};
    req.set(http::field::host, "127.0.0.1");
    req.set("X-Amz-Target", "DynamoDB_20120810.Scan");
    req.set(http::field::content_type, "application/x-amz-json-1.0");
    req.body() = R"({"TableName":")" + table + R"(","Select":"COUNT")" +
                 (start_key.empty() ? std::string() : ",\"ExclusiveStartKey\":" + start_key) + "}";
    req.prepare_payload();
    http::write(s, req);
    http::response<http::string_body> res;
    http::read(s, buf, res);
    const auto doc = boost::json::parse(res.body());
    total += static_cast<std::size_t>(doc.at("Count").to_number<std::int64_t>());
    const auto* key = doc.as_object().if_contains("LastEvaluatedKey");
    if (!key) break;
    start_key = boost::json::serialize(*key);
  }
  return total;
}

}  // namespace lambkin::bench
