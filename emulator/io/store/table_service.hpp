#pragma once
// The table store as `lambkin run` runs it: opened from the data directory
// (`<data-dir>/tables.sqlite3`, or in memory), the template's tables created at start (a table
// whose definition changed in the template is recreated, empty), and expired TTL items deleted
// every `purge_interval` (they are invisible to reads from the moment they expire).
#include "emulator/io/store/table_store.hpp"
#include "lambkin/config.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>

namespace lambkin::io::store {

class table_service {
 public:
  /// Throws sqlite_error when the database cannot be opened.
  table_service(boost::asio::any_io_executor executor, store_options options);
  ~table_service();

  /// Creates the template's tables that are missing (or changed); returns how many were (re)created.
  std::size_t create_template_tables(const config::template_config& tmpl);
  /// Starts the periodic TTL purge.
  void start(std::chrono::seconds purge_interval = std::chrono::seconds(10));
  void stop();
  table_store& store() { return *store_; }

 private:
  void arm();

  std::unique_ptr<table_store> store_;
  boost::asio::steady_timer timer_;
  std::chrono::seconds interval_{10};
  bool stopped_ = false;
};

}  // namespace lambkin::io::store
