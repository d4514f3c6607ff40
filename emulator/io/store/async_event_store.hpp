#pragma once
// What lambkin keeps across a crash, in SQLite (`<data-dir>/durable.sqlite3`, WAL; ":memory:" runs
// the same code on a private in-memory DB): the durable async queue, the records of finished async
// events, the MQTT broker's retained messages (mqtt/retained_persistence.hpp) and its persistent
// sessions (mqtt/session_persistence.hpp).
//
// Every async event the Invoke API accepts (202) or a rule produces is added here before it is
// acknowledged, its attempt count is updated when an attempt fails and a retry is scheduled, and
// it is removed when it finishes, in the same transaction that stores its destination record
// (on-success, on-failure / DLQ, or dropped). After a crash (`kill -9`) the next start finds every
// accepted event that had not finished and runs it again: delivery is at-least-once.
//
// Writes are batched (group commit): `add`, `set_attempts` and `finish` only queue a change and
// post one flush to the io_context, so every change made during the same turn of the loop goes
// in one transaction. `async_flushed` waits for the transaction holding everything queued so far;
// `pending` says whether there is one to wait for (the MQTT writer holds PUBACKs behind it).
//
// A failed transaction (disk full, I/O error) is rolled back whole: the events it added are not
// stored (their callers get the error), the events it would have finished stay queued on disk and
// run again after a restart. The error is logged and `last_error` keeps it.
//
// Thread safety: one thread (the io_context's).
#include "emulator/io/store/sqlite_db.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace lambkin::io::store {

/// One accepted async event as it is kept until it finishes.
struct stored_event {
  /// The store's key (assigned by `add`).
  std::int64_t key = 0;
  std::string function;
  std::string request_id;
  /// `$LATEST` or a published version number: what to run after a restart.
  std::string version;
  std::string invoked_arn;
  std::string payload;
  /// Wall-clock enqueue time, Unix epoch milliseconds (the event's age counts from here).
  std::int64_t enqueued_ms = 0;
  /// Attempts that ran and failed so far.
  std::uint32_t invoke_count = 0;
  /// Waiting for a retry: when it is due (Unix epoch ms); 0 = ready to run.
  std::int64_t due_ms = 0;
};

/// A retained MQTT message: its PUBLISH packet (MQTT 5 encoding) and when it expires (Unix epoch
/// ms; 0 = never).
struct stored_retained {
  std::string topic;
  std::string packet;
  std::int64_t expires_ms = 0;
};

/// A persistent MQTT session (mqtt/session_persistence.hpp): its head (`mqtt_sessions`: state as
/// JSON, when it expires, Unix epoch ms; 0 = not counting down: connected when stored, or never
/// expires), and the messages it owes its client (`mqtt_session_messages`, one row each keyed by
/// the session's message number `seq`, in order).
struct stored_session_message {
  /// The session's number for the message (its order; core/mqtt/session_snapshot.hpp).
  std::int64_t seq = 0;
  /// 0 = queued, not sent yet.
  std::uint16_t packet_id = 0;
  bool released = false;
  /// The PUBLISH (MQTT 5 encoding) and when its Message Expiry runs out (0 = never).
  std::string packet;
  std::int64_t expires_ms = 0;
};
struct stored_session {
  std::string client_id;
  std::string state;
  std::int64_t expires_ms = 0;
  std::vector<stored_session_message> messages;
};

/// A finished event's record, in the order they were stored.
struct stored_record {
  std::int64_t seq = 0;
  std::string function;
  /// `on-success`, `on-failure`, `dlq`, or empty (no destination configured: dropped).
  std::string destination;
  std::string record_json;
};

class async_event_store {
 public:
  /// Opens (creating) `path` and its tables; `reset` forgets what an earlier run left. Throws
  /// sqlite_error when it cannot.
  async_event_store(boost::asio::any_io_executor executor, const std::string& path, bool reset = false,
                    std::int64_t keep_records = 100000);
  /// Writes what is still queued (errors are logged).
  ~async_event_store();
  async_event_store(const async_event_store&) = delete;
  async_event_store& operator=(const async_event_store&) = delete;

  /// Events accepted by an earlier run and not finished, oldest first.
  std::vector<stored_event> unfinished();

  /// Queues the event's insertion; returns its key.
  std::int64_t add(stored_event event);
  /// Queues an attempt count update, with when the retry is due (Unix epoch ms).
  void set_attempts(std::int64_t key, std::uint32_t invoke_count, std::int64_t due_ms = 0);
  /// Queues the event's removal together with its record (none kept when `record_json` is empty).
  void finish(std::int64_t key, stored_record record);

  /// Queues storing (replacing) a retained message, or erasing the topic's.
  void put_retained(stored_retained message);
  void erase_retained(std::string topic);
  /// Every retained message stored, by topic.
  std::vector<stored_retained> retained_messages();

  /// Queues storing (replacing) a persistent MQTT session with its messages, or erasing one.
  void put_session(stored_session session);
  void erase_session(std::string client_id);
  /// Queues storing (replacing) a session's head only (`messages` ignored), leaving its messages.
  void put_session_head(stored_session session);
  /// Queues adding one message row to a stored session (replacing the one with its `seq`).
  void put_session_message(std::string client_id, stored_session_message message);
  /// Queues an update of a message row: sent with `packet_id` (when set), and/or released.
  void update_session_message(std::string client_id, std::int64_t seq, std::optional<std::uint16_t> packet_id,
                              bool released);
  void erase_session_message(std::string client_id, std::int64_t seq);
  /// Every stored MQTT session, by client id.
  std::vector<stored_session> sessions();
  /// A named number kept across runs (the MQTT shell's last-alive time), queued like the rest.
  void put_meta(std::string key, std::int64_t value);
  std::optional<std::int64_t> meta(const std::string& key);

  /// Called at the start of every commit, to queue changes computed once per transaction (the
  /// MQTT sessions that changed during the batch); nullptr removes it.
  void set_before_commit(std::function<void()> hook) { before_commit_ = std::move(hook); }
  /// Opens a batch without a change of its own yet (the before-commit hook will add them).
  void touch() { schedule(); }

  /// True while changes wait for their transaction.
  bool pending() const noexcept { return batch_ != nullptr; }
  /// Waits until every change queued before the call is committed (at once if none is); the
  /// error message when that transaction failed.
  boost::asio::awaitable<std::optional<std::string>> async_flushed();
  /// Commits what is queued now (shutdown, tests).
  void flush();

  /// Records with seq > `after`, oldest first, at most `limit`; only `function`'s when not empty.
  std::vector<stored_record> records(std::int64_t after, std::int64_t limit, const std::string& function = {});
  /// The last `limit` records, oldest first.
  std::vector<stored_record> latest_records(std::int64_t limit);
  /// Events queued on disk right now (committed, not finished).
  std::int64_t stored_events();
  const std::optional<std::string>& last_error() const noexcept { return last_error_; }
  /// Transactions that failed since the start (the MQTT writers refuse PUBACKs behind one).
  std::uint64_t failed_commits() const noexcept { return failed_commits_; }

 private:
  struct insert_op {
    stored_event event;
  };
  struct attempts_op {
    std::int64_t key;
    std::uint32_t count;
    std::int64_t due_ms;
  };
  struct finish_op {
    std::int64_t key;
    stored_record record;
  };
  struct retained_put_op {
    stored_retained message;
  };
  struct retained_erase_op {
    std::string topic;
  };
  struct session_put_op {
    stored_session session;
  };
  struct session_erase_op {
    std::string client_id;
  };
  struct session_head_op {
    stored_session session;
  };
  struct session_message_put_op {
    std::string client_id;
    stored_session_message message;
  };
  struct session_message_update_op {
    std::string client_id;
    std::int64_t seq;
    std::optional<std::uint16_t> packet_id;
    bool released;
  };
  struct session_message_erase_op {
    std::string client_id;
    std::int64_t seq;
  };
  struct meta_op {
    std::string key;
    std::int64_t value;
  };
  using op = std::variant<insert_op, attempts_op, finish_op, retained_put_op, retained_erase_op, session_put_op,
                          session_erase_op, session_head_op, session_message_put_op, session_message_update_op,
                          session_message_erase_op, meta_op>;
  /// The transaction a change will be part of, shared by those who wait for it.
  struct batch {
    explicit batch(boost::asio::any_io_executor ex);
    boost::asio::steady_timer done;
    bool committed = false;
    std::optional<std::string> error;
  };

  void schedule();
  void commit(std::vector<op>& ops);
  void commit_session(const op& o);
  void insert_session_message(const std::string& client_id, const stored_session_message& m);

  boost::asio::any_io_executor executor_;
  std::string path_;
  database db_;
  std::int64_t keep_records_;
  std::int64_t next_key_ = 1;
  std::int64_t inserted_records_ = 0;
  std::vector<op> ops_;
  std::shared_ptr<batch> batch_;
  std::optional<std::string> last_error_;
  std::function<void()> before_commit_;
  std::uint64_t failed_commits_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lambkin::io::store
