#pragma once
// Test support for the AWS IoT SQL core: run one statement against one message and describe the
// outcome as one string, so tests are tables of (statement, topic, payload) → expected.
#include "emulator/core/rules/sql.hpp"

#include <doctest/doctest.h>

#include <string>

namespace lambkin::rules::test {

inline constexpr auto v2015 = sql_version::v2015_10_08;
inline constexpr auto v2016 = sql_version::v2016_03_23;
inline constexpr const char* no_output = "<no output>";

inline message_context message(std::string topic, std::string payload) {
  message_context m;
  m.topic = std::move(topic);
  m.payload = std::move(payload);
  m.client_id = "dev-1";
  m.principal = "ba67293af50bf2506f5f93469686da660c7c844e7b3950bfb16813e0d31e9373";
  m.timestamp_ms = 1700000000000;
  m.account_id = "123456789012";
  m.trace_id = "12345678-1234-1234-1234-123456789012";
  m.new_uuid = [] { return std::string("123e4567-e89b-12d3-a456-426614174000"); };
  m.random = [] { return 0.25; };
  return m;
}

/// The JSON output, "<no output>", "<error: …>" for an evaluation error, or "<compile: …>".
inline std::string run(const std::string& sql, const message_context& m, sql_version v = v2016) {
  auto s = compile(sql, v);
  if (!s) return "<compile: " + s.error().what() + ">";
  auto e = evaluate(*s, m);
  switch (e.kind) {
    case evaluation::outcome::no_output: return no_output;
    case evaluation::outcome::error: return "<error: " + e.error_message + ">";
    case evaluation::outcome::output: return e.payload;
  }
  return "?";
}

inline std::string run(const std::string& sql, const std::string& payload, sql_version v = v2016,
                       const std::string& topic = "a/b") {
  return run(sql, message(topic, payload), v);
}

/// One expression's value as JSON (`SELECT VALUE expr FROM 'a/b'`), "" for Undefined.
inline std::string expr(const std::string& e, const std::string& payload = "{}", sql_version v = v2016) {
  return run("SELECT VALUE " + e + " FROM 'a/b'", payload, v);
}

struct row {
  const char* sql;
  const char* payload;
  const char* expected;
};

inline void check_rows(std::initializer_list<row> rows, sql_version v = v2016) {
  for (const auto& r : rows) {
    const std::string sql = r.sql, payload = r.payload;
    CAPTURE(sql);
    CAPTURE(payload);
    CHECK(run(sql, payload, v) == std::string(r.expected));
  }
}

struct expr_row {
  const char* e;
  const char* expected;  // JSON of the value; "" = Undefined
};

inline void check_exprs(std::initializer_list<expr_row> rows, const char* payload = "{}", sql_version v = v2016) {
  for (const auto& r : rows) {
    const std::string e = r.e;
    CAPTURE(e);
    CHECK(expr(e, payload, v) == std::string(r.expected));
  }
}

}  // namespace lambkin::rules::test
