// `lambkin sql 'SELECT …' --topic T --payload JSON [--clientid C] [--sql-version V]`: evaluates one
// AWS IoT SQL statement against one message, like the AWS IoT console's SQL test. The result goes
// to stdout on one line; nothing is printed when WHERE is not true (exit 0). A statement that does
// not compile exits 2 with the located error on stderr; an evaluation error exits 1.
//
// The shell's part: reading the clock for timestamp(), UUIDs and rand() from std::random_device,
// and Basic Ingest (`$aws/rules/<rule>/…` is stripped before the rule sees the topic).
#include "emulator/cli/commands.hpp"
#include "emulator/core/mqtt/topic.hpp"
#include "emulator/core/rules/sql.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>
#include <random>

namespace lambkin::cli {
namespace {

struct sql_flags {
  std::string sql;
  std::string topic;
  std::string payload = "{}";
  std::string client_id = "lambkin-sql";
  std::string version = "2016-03-23";
  std::string principal;
};

std::string random_uuid(std::mt19937_64& rng) {
  std::uniform_int_distribution<unsigned> byte(0, 255);
  unsigned char b[16];
  for (auto& x : b) x = static_cast<unsigned char>(byte(rng));
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
                b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

int run_sql(const sql_flags& f) {
  const auto version = rules::parse_sql_version(f.version);
  if (!version) {
    std::cerr << "--sql-version " << f.version << ": expected 2015-10-08, 2016-03-23 or beta\n";
    return 2;
  }
  auto stmt = rules::compile(f.sql, *version);
  if (!stmt) {
    std::cerr << "error: " << stmt.error().what() << '\n';
    return 2;
  }

  auto rng = std::make_shared<std::mt19937_64>(std::random_device{}());
  rules::message_context m;
  m.topic = f.topic;
  if (auto ingest = mqtt::parse_basic_ingest(f.topic)) m.topic = std::string(ingest->topic);
  m.payload = f.payload == "-" ? std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>())
                               : f.payload;
  m.client_id = f.client_id;
  m.principal = f.principal;
  m.timestamp_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  m.trace_id = random_uuid(*rng);
  m.new_uuid = [rng] { return random_uuid(*rng); };
  m.random = [rng] { return std::uniform_real_distribution<double>(0.0, 1.0)(*rng); };

  if (!stmt->topic_filter().empty() &&
      (mqtt::validate_topic_name(m.topic) || !mqtt::matches(stmt->topic_filter(), m.topic, mqtt::profile::aws())))
    std::cerr << "note: topic '" << m.topic << "' does not match FROM '" << stmt->topic_filter()
              << "'; AWS would not run this rule for it (evaluated anyway)\n";

  const auto out = rules::evaluate(*stmt, m);
  switch (out.kind) {
    case rules::evaluation::outcome::no_output: return 0;
    case rules::evaluation::outcome::error:
      std::cerr << "error: " << out.error_message << '\n';
      return 1;
    case rules::evaluation::outcome::output: std::cout << out.payload << '\n' << std::flush; return 0;
  }
  return 1;
}

}  // namespace

void add_sql_command(CLI::App& app) {
  auto f = std::make_shared<sql_flags>();
  auto* cmd = app.add_subcommand("sql", "Evaluate one AWS IoT SQL statement against one message");
  cmd->add_option("statement", f->sql, "The rule's SQL, e.g. \"SELECT temperature FROM 'things/+/temp'\"")->required();
  cmd->add_option("--topic,-t", f->topic, "The message's topic")->required();
  cmd->add_option("--payload,-p", f->payload, "The message's payload (JSON or not; - reads standard input; default {})");
  cmd->add_option("--clientid", f->client_id, "What clientid() returns (default lambkin-sql)");
  cmd->add_option("--principal", f->principal, "What principal() returns");
  cmd->add_option("--sql-version", f->version, "2015-10-08, 2016-03-23 (default) or beta");
  cmd->callback([f] { set_exit_code(run_sql(*f)); });
}

}  // namespace lambkin::cli
