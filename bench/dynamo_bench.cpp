// dynamo_bench — DynamoDB on lambkin (issue 7): PutItem, BatchWriteItem and Query through the
// HTTP endpoint of a running `lambkin run` (file database, WAL), against the floor of raw SQLite
// inserts and selects of the same rows through the SQLite C API (file database, WAL,
// synchronous=NORMAL, same transaction grouping) in the same run. Prints rows/s and ratios, and
// single-item p50/p99 latency.
//
//   build/bench/dynamo_bench [ROWS=20000]
//
// Target: batched writes (BatchWriteItem, 25 items a request) ≥ half the floor's rows/s
// (the floor commits 25 rows a transaction, like lambkin's one transaction per batch).
#include "bench/bench_stats.hpp"
#include "bench/lambkin_process.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

namespace bench = lambkin::bench;
namespace beast = boost::beast;
namespace http = beast::http;
using bench::wall;

namespace {

const std::string table_template = R"(Resources:
  Bench:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: Bench
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: pk, AttributeType: S}
        - {AttributeName: sk, AttributeType: N}
      KeySchema:
        - {AttributeName: pk, KeyType: HASH}
        - {AttributeName: sk, KeyType: RANGE}
)";

constexpr int partitions = 20;
constexpr int page = 100;

std::string pk_of(int i) { return "device-" + std::to_string(i % partitions); }
/// One row: the DynamoDB JSON the API receives (and the floor stores as its item bytes).
std::string item_json(int i) {
  return R"({"pk":{"S":")" + pk_of(i) + R"("},"sk":{"N":")" + std::to_string(i) +
         R"("},"temperature":{"N":"21.5"},"payload":{"S":"0123456789abcdef0123456789abcdef0123456789abcdef"}})";
}

/// One keep-alive connection speaking DynamoDB's JSON protocol.
class dynamodb_client {
 public:
  explicit dynamodb_client(unsigned short port) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
  void call(const std::string& op, std::string body) {
    http::request<http::string_body> req{http::verb::post, "/", 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/x-amz-json-1.0");
    req.set("X-Amz-Target", "DynamoDB_20120810." + op);
    req.body() = std::move(body);
    req.prepare_payload();
    http::write(socket_, req);
    http::response<http::string_body> res;
    http::read(socket_, buffer_, res);
    if (res.result_int() != 200) throw std::runtime_error(op + ": " + res.body());
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  beast::flat_buffer buffer_;
};

/// The floor: the same rows in SQLite through its C API, with lambkin's file settings.
class sqlite_floor {
 public:
  explicit sqlite_floor(const std::filesystem::path& file) {
    sqlite3_open(file.c_str(), &db_);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec("CREATE TABLE items(pk BLOB NOT NULL, sk BLOB NOT NULL, item BLOB NOT NULL, PRIMARY KEY(pk, sk)) WITHOUT ROWID");
    sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO items VALUES (?1, ?2, ?3)", -1, &insert_, nullptr);
    sqlite3_prepare_v2(db_, "SELECT item FROM items WHERE pk = ?1 ORDER BY sk LIMIT 100", -1, &select_, nullptr);
    sqlite3_prepare_v2(db_, "BEGIN IMMEDIATE", -1, &begin_, nullptr);
    sqlite3_prepare_v2(db_, "COMMIT", -1, &commit_, nullptr);
  }
  ~sqlite_floor() {
    for (auto* s : {insert_, select_, begin_, commit_}) sqlite3_finalize(s);
    sqlite3_close(db_);
  }
  void exec(const char* sql) { sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }
  void begin() { run(begin_); }
  void commit() { run(commit_); }
  void insert(int i, const std::string& item) {
    const auto pk = pk_of(i), sk = std::to_string(i);
    sqlite3_bind_blob(insert_, 1, pk.data(), static_cast<int>(pk.size()), SQLITE_TRANSIENT);
    sqlite3_bind_blob(insert_, 2, sk.data(), static_cast<int>(sk.size()), SQLITE_TRANSIENT);
    sqlite3_bind_blob(insert_, 3, item.data(), static_cast<int>(item.size()), SQLITE_TRANSIENT);
    run(insert_);
  }
  std::size_t select(int partition) {
    const auto pk = pk_of(partition);
    sqlite3_bind_blob(select_, 1, pk.data(), static_cast<int>(pk.size()), SQLITE_TRANSIENT);
    std::size_t rows = 0, bytes = 0;
    while (sqlite3_step(select_) == SQLITE_ROW) {
      ++rows;
      bytes += static_cast<std::size_t>(sqlite3_column_bytes(select_, 0));
    }
    sqlite3_reset(select_);
    return bytes > 0 ? rows : 0;
  }

 private:
  static void run(sqlite3_stmt* s) {
    sqlite3_step(s);
    sqlite3_reset(s);
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt *insert_ = nullptr, *select_ = nullptr, *begin_ = nullptr, *commit_ = nullptr;
};

double rows_per_second(std::size_t rows, wall::time_point from, wall::time_point to) {
  return static_cast<double>(rows) * 1e6 / bench::micros_between(from, to);
}

void print_rate(const char* name, double subject, double floor, double target) {
  std::printf("%-44s %12.0f rows/s   floor %12.0f rows/s   ratio %5.2f", name, subject, floor, subject / floor);
  if (target > 0) std::printf("   target >= %.2f: %s", target, subject / floor >= target ? "met" : "NOT met");
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  const int rows = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int single = std::min(rows, 5000);
  const int queries = 500;
  std::printf("dynamo_bench: %d rows (%d single puts), load average %s\n", rows, single, bench::load_average().c_str());

  const auto dir = std::filesystem::temp_directory_path() / ("lambkin-dynamo-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  bench::lambkin_process lk(LAMBKIN_EXE, table_template, "warn");
  dynamodb_client client(lk.aws_port());
  sqlite_floor floor(dir / "floor.sqlite3");

  // ---- single-item writes: one request / one autocommit insert each, with latencies ----
  std::vector<double> put_lat, floor_put_lat;
  auto t0 = wall::now();
  for (int i = 0; i < single; ++i) {
    const auto a = wall::now();
    client.call("PutItem", R"({"TableName":"Bench","Item":)" + item_json(i) + "}");
    put_lat.push_back(bench::micros_between(a, wall::now()));
  }
  auto t1 = wall::now();
  for (int i = 0; i < single; ++i) {
    const auto a = wall::now();
    floor.insert(i, item_json(i));
    floor_put_lat.push_back(bench::micros_between(a, wall::now()));
  }
  auto t2 = wall::now();
  const double put_rate = rows_per_second(single, t0, t1), floor_single_rate = rows_per_second(single, t1, t2);

  // ---- batched writes: 25 items a BatchWriteItem / 25 inserts a transaction ----
  t0 = wall::now();
  for (int i = 0; i < rows; i += 25) {
    std::string body = R"({"RequestItems":{"Bench":[)";
    for (int k = i; k < std::min(rows, i + 25); ++k)
      body += (k == i ? "" : ",") + std::string(R"({"PutRequest":{"Item":)") + item_json(k) + "}}";
    client.call("BatchWriteItem", body + "]}}");
  }
  t1 = wall::now();
  for (int i = 0; i < rows; i += 25) {
    floor.begin();
    for (int k = i; k < std::min(rows, i + 25); ++k) floor.insert(k, item_json(k));
    floor.commit();
  }
  t2 = wall::now();
  const double batch_rate = rows_per_second(static_cast<std::size_t>(rows), t0, t1);
  const double floor_batch_rate = rows_per_second(static_cast<std::size_t>(rows), t1, t2);

  // ---- queries: one partition, first 100 items in key order ----
  std::vector<double> query_lat, floor_query_lat;
  t0 = wall::now();
  for (int q = 0; q < queries; ++q) {
    const auto a = wall::now();
    client.call("Query", R"({"TableName":"Bench","KeyConditionExpression":"pk = :p","Limit":100,)"
                         R"("ExpressionAttributeValues":{":p":{"S":")" + pk_of(q) + R"("}}})");
    query_lat.push_back(bench::micros_between(a, wall::now()));
  }
  t1 = wall::now();
  std::size_t floor_rows = 0;
  for (int q = 0; q < queries; ++q) {
    const auto a = wall::now();
    floor_rows += floor.select(q);
    floor_query_lat.push_back(bench::micros_between(a, wall::now()));
  }
  t2 = wall::now();
  const auto read_rows = static_cast<std::size_t>(queries) * static_cast<std::size_t>(std::min(page, rows / partitions));

  std::printf("\nthroughput (lambkin through HTTP vs SQLite C API, same rows, same run)\n");
  print_rate("PutItem, one request each", put_rate, floor_single_rate, 0);
  print_rate("BatchWriteItem, 25 items a request", batch_rate, floor_batch_rate, 0.5);
  print_rate("Query, 100 items a page", rows_per_second(read_rows, t0, t1), rows_per_second(floor_rows, t1, t2), 0);

  std::printf("\nsingle-item latency (us)\n");
  bench::print_latency_header("us");
  const auto floor_put = bench::summarize(floor_put_lat);
  bench::print_latency_row("SQLite insert (autocommit), floor", floor_put, {});
  bench::print_latency_row("PutItem through lambkin", bench::summarize(put_lat), floor_put);
  const auto floor_query = bench::summarize(floor_query_lat);
  bench::print_latency_row("SQLite select 100 rows, floor", floor_query, {});
  bench::print_latency_row("Query 100 items through lambkin", bench::summarize(query_lat), floor_query);

  lk.stop();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
