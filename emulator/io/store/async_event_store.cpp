#include "emulator/io/store/async_event_store.hpp"

#include "emulator/io/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace lambkin::io::store {
namespace net = boost::asio;
namespace {

constexpr int schema_version = 1;

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS async_events(
  key INTEGER PRIMARY KEY,
  function TEXT NOT NULL,
  request_id TEXT NOT NULL,
  version TEXT NOT NULL,
  invoked_arn TEXT NOT NULL,
  payload BLOB NOT NULL,
  enqueued_ms INTEGER NOT NULL,
  invoke_count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS async_records(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  function TEXT NOT NULL,
  destination TEXT NOT NULL,
  record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS mqtt_retained(
  topic TEXT PRIMARY KEY,
  packet BLOB NOT NULL,
  expires_ms INTEGER NOT NULL) WITHOUT ROWID;
)sql";

std::string text(const statement& s, int i) { return std::string(s.column_blob(i)); }

stored_record record_of(const statement& s) {
  return stored_record{s.column_int(0), text(s, 1), text(s, 2), text(s, 3)};
}

}  // namespace

async_event_store::batch::batch(net::any_io_executor ex) : done(std::move(ex), net::steady_timer::time_point::max()) {}

async_event_store::async_event_store(net::any_io_executor executor, const std::string& path, bool reset,
                                     std::int64_t keep_records)
    : executor_(std::move(executor)), path_(path), db_(path), keep_records_(keep_records) {
  std::int64_t version = 0;
  {
    auto& v = db_.prepare("PRAGMA user_version");
    statement_use use(v);
    version = v.step() ? v.column_int(0) : 0;
    if (version > schema_version)
      throw sqlite_error(path + " was written by a newer lambkin (schema " + std::to_string(version) + ")");
  }
  if (reset || version < schema_version) {  // nothing is written otherwise: a full disk must not stop a restart
    transaction t(db_);
    if (reset)
      db_.exec("DROP TABLE IF EXISTS async_events; DROP TABLE IF EXISTS async_records; "
               "DROP TABLE IF EXISTS mqtt_retained;");
    db_.exec(schema);
    db_.exec("PRAGMA user_version = " + std::to_string(schema_version));
    t.commit();
  }
  auto& k = db_.prepare("SELECT coalesce(max(key), 0) FROM async_events");
  statement_use use(k);
  if (k.step()) next_key_ = k.column_int(0) + 1;
}

async_event_store::~async_event_store() {
  *alive_ = false;
  flush();
}

std::vector<stored_event> async_event_store::unfinished() {
  std::vector<stored_event> out;
  auto& s = db_.prepare(
      "SELECT key, function, request_id, version, invoked_arn, payload, enqueued_ms, invoke_count "
      "FROM async_events ORDER BY key");
  statement_use use(s);
  while (s.step()) {
    stored_event e;
    e.key = s.column_int(0);
    e.function = text(s, 1);
    e.request_id = text(s, 2);
    e.version = text(s, 3);
    e.invoked_arn = text(s, 4);
    e.payload = text(s, 5);
    e.enqueued_ms = s.column_int(6);
    e.invoke_count = static_cast<std::uint32_t>(s.column_int(7));
    out.push_back(std::move(e));
  }
  return out;
}

std::int64_t async_event_store::add(stored_event event) {
  event.key = next_key_++;
  const auto key = event.key;
  ops_.emplace_back(insert_op{std::move(event)});
  schedule();
  return key;
}

void async_event_store::set_attempts(std::int64_t key, std::uint32_t invoke_count) {
  ops_.emplace_back(attempts_op{key, invoke_count});
  schedule();
}

void async_event_store::finish(std::int64_t key, stored_record record) {
  ops_.emplace_back(finish_op{key, std::move(record)});
  schedule();
}

void async_event_store::put_retained(stored_retained message) {
  ops_.emplace_back(retained_put_op{std::move(message)});
  schedule();
}

void async_event_store::erase_retained(std::string topic) {
  ops_.emplace_back(retained_erase_op{std::move(topic)});
  schedule();
}

std::vector<stored_retained> async_event_store::retained_messages() {
  std::vector<stored_retained> out;
  auto& s = db_.prepare("SELECT topic, packet, expires_ms FROM mqtt_retained ORDER BY topic");
  statement_use use(s);
  while (s.step()) out.push_back(stored_retained{text(s, 0), text(s, 1), s.column_int(2)});
  return out;
}

void async_event_store::schedule() {
  if (batch_) return;
  batch_ = std::make_shared<batch>(executor_);
  // Posted behind whatever is ready now: the requests and packets of this turn join the batch.
  net::post(executor_, [this, alive = alive_] {
    if (*alive) flush();
  });
}

net::awaitable<std::optional<std::string>> async_event_store::async_flushed() {
  auto b = batch_;
  if (!b) co_return std::nullopt;
  if (!b->committed) co_await b->done.async_wait(net::as_tuple(net::use_awaitable));
  co_return b->error;
}

void async_event_store::flush() {
  if (!batch_) return;
  auto ops = std::move(ops_);
  ops_.clear();
  auto b = std::move(batch_);
  batch_.reset();
  try {
    commit(ops);
  } catch (const std::exception& e) {
    b->error = std::string(e.what());
    last_error_ = b->error;
    logger("lambda")->error("durable async queue ({}): {} changes not stored: {}", path_, ops.size(), e.what());
  }
  b->committed = true;
  b->done.cancel();
}

void async_event_store::commit(std::vector<op>& ops) {
  transaction t(db_);
  for (auto& o : ops) {
    if (auto* i = std::get_if<insert_op>(&o)) {
      auto& s = db_.prepare(
          "INSERT INTO async_events(key, function, request_id, version, invoked_arn, payload, enqueued_ms, "
          "invoke_count) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
      statement_use use(s);
      const auto& e = i->event;
      s.bind(1, e.key).bind_text(2, e.function).bind_text(3, e.request_id).bind_text(4, e.version);
      s.bind_text(5, e.invoked_arn).bind_blob(6, e.payload).bind(7, e.enqueued_ms).bind(8, e.invoke_count);
      s.step();
    } else if (auto* a = std::get_if<attempts_op>(&o)) {
      auto& s = db_.prepare("UPDATE async_events SET invoke_count = ? WHERE key = ?");
      statement_use use(s);
      s.bind(1, a->count).bind(2, a->key);
      s.step();
    } else if (auto* r = std::get_if<retained_put_op>(&o)) {
      auto& s = db_.prepare("INSERT OR REPLACE INTO mqtt_retained(topic, packet, expires_ms) VALUES(?, ?, ?)");
      statement_use use(s);
      s.bind_text(1, r->message.topic).bind_blob(2, r->message.packet).bind(3, r->message.expires_ms);
      s.step();
    } else if (auto* x = std::get_if<retained_erase_op>(&o)) {
      auto& s = db_.prepare("DELETE FROM mqtt_retained WHERE topic = ?");
      statement_use use(s);
      s.bind_text(1, x->topic);
      s.step();
    } else {
      auto& f = std::get<finish_op>(o);
      {
        auto& s = db_.prepare("DELETE FROM async_events WHERE key = ?");
        statement_use use(s);
        s.bind(1, f.key);
        s.step();
      }
      auto& s = db_.prepare("INSERT INTO async_records(function, destination, record) VALUES(?, ?, ?)");
      statement_use use(s);
      s.bind_text(1, f.record.function).bind_text(2, f.record.destination).bind_blob(3, f.record.record_json);
      s.step();
      ++inserted_records_;
    }
  }
  if (inserted_records_ >= 1000) {  // keep the newest `keep_records_`
    inserted_records_ = 0;
    auto& s = db_.prepare("DELETE FROM async_records WHERE seq <= (SELECT max(seq) FROM async_records) - ?");
    statement_use use(s);
    s.bind(1, keep_records_);
    s.step();
  }
  t.commit();
}

std::vector<stored_record> async_event_store::records(std::int64_t after, std::int64_t limit,
                                                      const std::string& function) {
  std::vector<stored_record> out;
  auto& s = db_.prepare(
      "SELECT seq, function, destination, record FROM async_records WHERE seq > ? AND (? = '' OR function = ?) "
      "ORDER BY seq LIMIT ?");
  statement_use use(s);
  s.bind(1, after).bind_text(2, function).bind_text(3, function).bind(4, limit);
  while (s.step()) out.push_back(record_of(s));
  return out;
}

std::vector<stored_record> async_event_store::latest_records(std::int64_t limit) {
  std::vector<stored_record> out;
  auto& s = db_.prepare(
      "SELECT seq, function, destination, record FROM "
      "(SELECT seq, function, destination, record FROM async_records ORDER BY seq DESC LIMIT ?) ORDER BY seq");
  statement_use use(s);
  s.bind(1, limit);
  while (s.step()) out.push_back(record_of(s));
  return out;
}

std::int64_t async_event_store::stored_events() {
  auto& s = db_.prepare("SELECT count(*) FROM async_events");
  statement_use use(s);
  return s.step() ? s.column_int(0) : 0;
}

}  // namespace lambkin::io::store
