#include "emulator/io/store/async_event_store.hpp"

#include "emulator/io/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace lambkin::io::store {
namespace net = boost::asio;
namespace {

constexpr int schema_version = 2;

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS async_events(
  key INTEGER PRIMARY KEY,
  function TEXT NOT NULL,
  request_id TEXT NOT NULL,
  version TEXT NOT NULL,
  invoked_arn TEXT NOT NULL,
  payload BLOB NOT NULL,
  enqueued_ms INTEGER NOT NULL,
  invoke_count INTEGER NOT NULL,
  due_ms INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS async_records(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  function TEXT NOT NULL,
  destination TEXT NOT NULL,
  record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS mqtt_retained(
  topic TEXT PRIMARY KEY,
  packet BLOB NOT NULL,
  expires_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mqtt_sessions(
  client_id TEXT PRIMARY KEY,
  state BLOB NOT NULL,
  expires_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mqtt_session_messages(
  client_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  packet_id INTEGER NOT NULL,
  released INTEGER NOT NULL,
  packet BLOB NOT NULL,
  expires_ms INTEGER NOT NULL,
  PRIMARY KEY(client_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lambkin_meta(
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL) WITHOUT ROWID;
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
               "DROP TABLE IF EXISTS mqtt_retained; DROP TABLE IF EXISTS mqtt_sessions; "
               "DROP TABLE IF EXISTS mqtt_session_messages; DROP TABLE IF EXISTS lambkin_meta;");
    else if (version == 1)  // schema 2: retry due times (and the MQTT session tables, created below)
      db_.exec("ALTER TABLE async_events ADD COLUMN due_ms INTEGER NOT NULL DEFAULT 0");
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
      "SELECT key, function, request_id, version, invoked_arn, payload, enqueued_ms, invoke_count, due_ms "
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
    e.due_ms = s.column_int(8);
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

void async_event_store::set_attempts(std::int64_t key, std::uint32_t invoke_count, std::int64_t due_ms) {
  ops_.emplace_back(attempts_op{key, invoke_count, due_ms});
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
  if (before_commit_) {
    try {
      before_commit_();
    } catch (const std::exception& e) {  // an encoding failure must not stop the rest of the batch
      logger("mqtt")->error("durable store: preparing the batch failed: {}", e.what());
    }
  }
  auto ops = std::move(ops_);
  ops_.clear();
  auto b = std::move(batch_);
  batch_.reset();
  try {
    commit(ops);
  } catch (const std::exception& e) {
    b->error = std::string(e.what());
    last_error_ = b->error;
    ++failed_commits_;
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
      auto& s = db_.prepare("UPDATE async_events SET invoke_count = ?, due_ms = ? WHERE key = ?");
      statement_use use(s);
      s.bind(1, a->count).bind(2, a->due_ms).bind(3, a->key);
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
    } else if (!std::holds_alternative<finish_op>(o)) {
      commit_session(o);
    } else {
      auto& f = std::get<finish_op>(o);
      {
        auto& s = db_.prepare("DELETE FROM async_events WHERE key = ?");
        statement_use use(s);
        s.bind(1, f.key);
        s.step();
      }
      if (f.record.record_json.empty()) continue;  // finished with nothing to keep
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

void async_event_store::put_session(stored_session session) {
  ops_.emplace_back(session_put_op{std::move(session)});
  schedule();
}

void async_event_store::erase_session(std::string client_id) {
  ops_.emplace_back(session_erase_op{std::move(client_id)});
  schedule();
}

void async_event_store::put_session_head(stored_session session) {
  session.messages.clear();
  ops_.emplace_back(session_head_op{std::move(session)});
  schedule();
}

void async_event_store::put_session_message(std::string client_id, stored_session_message message) {
  ops_.emplace_back(session_message_put_op{std::move(client_id), std::move(message)});
  schedule();
}

void async_event_store::update_session_message(std::string client_id, std::int64_t seq,
                                               std::optional<std::uint16_t> packet_id, bool released) {
  ops_.emplace_back(session_message_update_op{std::move(client_id), seq, packet_id, released});
  schedule();
}

void async_event_store::erase_session_message(std::string client_id, std::int64_t seq) {
  ops_.emplace_back(session_message_erase_op{std::move(client_id), seq});
  schedule();
}

void async_event_store::put_meta(std::string key, std::int64_t value) {
  ops_.emplace_back(meta_op{std::move(key), value});
  schedule();
}

std::optional<std::int64_t> async_event_store::meta(const std::string& key) {
  auto& s = db_.prepare("SELECT value FROM lambkin_meta WHERE key = ?");
  statement_use use(s);
  s.bind_text(1, key);
  if (!s.step()) return std::nullopt;
  return s.column_int(0);
}

std::vector<stored_session> async_event_store::sessions() {
  std::vector<stored_session> out;
  {
    auto& s = db_.prepare("SELECT client_id, state, expires_ms FROM mqtt_sessions ORDER BY client_id");
    statement_use use(s);
    while (s.step()) out.push_back(stored_session{text(s, 0), text(s, 1), s.column_int(2), {}});
  }
  auto& m = db_.prepare(
      "SELECT seq, packet_id, released, packet, expires_ms FROM mqtt_session_messages WHERE client_id = ? "
      "ORDER BY seq");
  for (auto& session : out) {
    statement_use use(m);
    m.bind_text(1, session.client_id);
    while (m.step())
      session.messages.push_back(stored_session_message{m.column_int(0), static_cast<std::uint16_t>(m.column_int(1)),
                                                        m.column_int(2) != 0, text(m, 3), m.column_int(4)});
  }
  return out;
}

void async_event_store::commit_session(const op& o) {
  const auto erase = [this](const std::string& client_id) {
    for (const char* sql : {"DELETE FROM mqtt_sessions WHERE client_id = ?",
                            "DELETE FROM mqtt_session_messages WHERE client_id = ?"}) {
      auto& s = db_.prepare(sql);
      statement_use use(s);
      s.bind_text(1, client_id);
      s.step();
    }
  };
  if (const auto* m = std::get_if<meta_op>(&o)) {
    auto& s = db_.prepare("INSERT OR REPLACE INTO lambkin_meta(key, value) VALUES(?, ?)");
    statement_use use(s);
    s.bind_text(1, m->key).bind(2, m->value);
    s.step();
  } else if (const auto* x = std::get_if<session_erase_op>(&o)) {
    erase(x->client_id);
  } else if (const auto* p = std::get_if<session_put_op>(&o)) {
    const auto& session = p->session;
    erase(session.client_id);
    {
      auto& s = db_.prepare("INSERT INTO mqtt_sessions(client_id, state, expires_ms) VALUES(?, ?, ?)");
      statement_use use(s);
      s.bind_text(1, session.client_id).bind_blob(2, session.state).bind(3, session.expires_ms);
      s.step();
    }
    for (const auto& msg : session.messages) insert_session_message(session.client_id, msg);
  } else if (const auto* h = std::get_if<session_head_op>(&o)) {
    auto& s = db_.prepare("INSERT OR REPLACE INTO mqtt_sessions(client_id, state, expires_ms) VALUES(?, ?, ?)");
    statement_use use(s);
    s.bind_text(1, h->session.client_id).bind_blob(2, h->session.state).bind(3, h->session.expires_ms);
    s.step();
  } else if (const auto* mp = std::get_if<session_message_put_op>(&o)) {
    insert_session_message(mp->client_id, mp->message);
  } else if (const auto* mu = std::get_if<session_message_update_op>(&o)) {
    auto& s = db_.prepare(
        "UPDATE mqtt_session_messages SET packet_id = CASE WHEN ?1 < 0 THEN packet_id ELSE ?1 END, "
        "released = (released OR ?2) WHERE client_id = ?3 AND seq = ?4");
    statement_use use(s);
    s.bind(1, mu->packet_id ? std::int64_t{*mu->packet_id} : std::int64_t{-1});
    s.bind(2, std::int64_t{mu->released ? 1 : 0}).bind_text(3, mu->client_id).bind(4, mu->seq);
    s.step();
  } else if (const auto* me = std::get_if<session_message_erase_op>(&o)) {
    auto& s = db_.prepare("DELETE FROM mqtt_session_messages WHERE client_id = ? AND seq = ?");
    statement_use use(s);
    s.bind_text(1, me->client_id).bind(2, me->seq);
    s.step();
  }
}

void async_event_store::insert_session_message(const std::string& client_id, const stored_session_message& m) {
  auto& s = db_.prepare(
      "INSERT OR REPLACE INTO mqtt_session_messages(client_id, seq, packet_id, released, packet, expires_ms) "
      "VALUES(?, ?, ?, ?, ?, ?)");
  statement_use use(s);
  s.bind_text(1, client_id).bind(2, m.seq).bind(3, std::int64_t{m.packet_id});
  s.bind(4, std::int64_t{m.released ? 1 : 0}).bind_blob(5, m.packet).bind(6, m.expires_ms);
  s.step();
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
