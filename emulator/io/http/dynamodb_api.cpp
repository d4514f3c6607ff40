#include "emulator/io/http/dynamodb_api.hpp"

#include "emulator/io/http/dynamodb_api_detail.hpp"
#include "emulator/io/log.hpp"

#include <boost/crc.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <random>
#include <unordered_map>

namespace lambkin::io::http {
namespace {

constexpr std::string_view target_prefix = "DynamoDB_20120810.";
constexpr std::string_view dynamodb_namespace = "com.amazonaws.dynamodb.v20120810#";

using operation = dynamodb::op_result (*)(dynamodb::op_context&);

const std::unordered_map<std::string_view, operation>& operations() {
  static const std::unordered_map<std::string_view, operation> ops{
      {"CreateTable", &dynamodb::create_table},
      {"DeleteTable", &dynamodb::delete_table},
      {"DescribeTable", &dynamodb::describe_table},
      {"ListTables", &dynamodb::list_tables},
      {"UpdateTimeToLive", &dynamodb::update_time_to_live},
      {"DescribeTimeToLive", &dynamodb::describe_time_to_live},
      {"PutItem", &dynamodb::put_item},
      {"GetItem", &dynamodb::get_item},
      {"DeleteItem", &dynamodb::delete_item},
      {"UpdateItem", &dynamodb::update_item},
      {"Query", &dynamodb::query},
      {"Scan", &dynamodb::scan},
      {"BatchWriteItem", &dynamodb::batch_write_item},
      {"BatchGetItem", &dynamodb::batch_get_item},
      {"TransactWriteItems", &dynamodb::transact_write_items},
      {"TransactGetItems", &dynamodb::transact_get_items},
  };
  return ops;
}

/// DynamoDB-style request ids: 52 upper-case letters and digits. One 64-bit draw gives 12 of them
/// (36^12 < 2^64), so an id costs 5 draws rather than 52.
std::string request_id() {
  static std::mt19937_64 rng{std::random_device{}()};
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string id(52, 'A');
  std::uint64_t bits = 0;
  for (std::size_t k = 0; k < id.size(); ++k) {
    if (k % 12 == 0) bits = rng();
    id[k] = alphabet[bits % 36];
    bits /= 36;
  }
  return id;
}

response answer(const request& req, unsigned status, std::string body) {
  auto res = make_response(req, status, "application/x-amz-json-1.0", std::move(body));
  boost::crc_32_type crc;
  crc.process_bytes(res.body().data(), res.body().size());
  res.set("x-amz-crc32", std::to_string(crc.checksum()));
  res.set("x-amzn-RequestId", request_id());
  return res;
}

std::string error_type(errc e) {
  switch (e) {
    case errc::invalid_request_content: return "com.amazon.coral.service#SerializationException";
    case errc::unknown_operation: return "com.amazon.coral.service#UnknownOperationException";
    case errc::service_error: return std::string(dynamodb_namespace) + "InternalServerError";
    default: return std::string(dynamodb_namespace) + std::string(aws_error_type(e));
  }
}

response error_answer(const request& req, errc e, std::string_view message, boost::json::object extra = {}) {
  boost::json::object body;
  body["__type"] = error_type(e);
  body["message"] = message;
  for (auto& [k, v] : extra) body[k] = std::move(v);
  auto res = answer(req, e == errc::service_error ? 500 : 400, boost::json::serialize(body));
  return res;
}

}  // namespace

bool is_dynamodb_request(const request& req) {
  const auto it = req.find("X-Amz-Target");
  return it != req.end() && std::string_view(it->value().data(), it->value().size()).starts_with(target_prefix);
}

response handle_dynamodb(store::table_store& store, const request& req, std::int64_t now_ms) {
  const auto target = req["X-Amz-Target"];
  const auto name = std::string_view(target.data(), target.size()).substr(target_prefix.size());
  const auto op = operations().find(name);
  if (op == operations().end()) return error_answer(req, errc::unknown_operation, "");
  // The request's document lives only for this call: a bump allocator over a stack buffer (heap
  // beyond it) spares a malloc/free per JSON node. Whatever an operation keeps or answers is copied
  // out of it (json::value copies take the destination's allocator).
  unsigned char scratch[8192];
  boost::json::monotonic_resource mr(scratch, sizeof scratch);
  boost::system::error_code ec;
  auto parsed =
      boost::json::parse(req.body().empty() ? std::string_view("{}") : std::string_view(req.body()), ec, &mr);
  if (ec || !parsed.is_object()) return error_answer(req, errc::invalid_request_content, "Start of structure or map found where not expected.");
  dynamodb::op_context c{store, parsed.as_object(), now_ms / 1000, now_ms, {}};
  try {
    auto r = op->second(c);
    if (!r) return error_answer(req, r.error().code, r.error().message, std::move(c.error_extra));
    return answer(req, 200, boost::json::serialize(*r));
  } catch (const std::exception& e) {
    logger("store")->error("{}: {}", name, e.what());
    return error_answer(req, errc::service_error, "Internal server error");
  }
}

}  // namespace lambkin::io::http
