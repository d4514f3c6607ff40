// lambkin run's stores: the data directory (and its lock), tables, the durable async queue, S3.
#include "emulator/io/app_impl.hpp"

namespace lambkin::io {
namespace net = boost::asio;
namespace {

/// A new `lambkin-XXXXXX` directory under the system's temporary directory; empty if it cannot be made.
std::filesystem::path make_temp_dir() {
  auto pattern = (std::filesystem::temp_directory_path() / "lambkin-XXXXXX").string();
  return ::mkdtemp(pattern.data()) ? std::filesystem::path(pattern) : std::filesystem::path();
}

}  // namespace

bool app::impl::open_stores() {
  auto& o = options;
  auto log = logger("lambkin");
  const bool tables_in_memory = o.data_dir == ":memory:";
  if (tables_in_memory) {  // tables in memory; function /tmp dirs and versions in a temporary directory
    o.data_dir = temp_data_dir = make_temp_dir();
    if (o.data_dir.empty()) {
      log->error("--data-dir :memory:: cannot create a temporary directory");
      return false;
    }
  }
  if (!o.data_dir.empty()) {
    std::error_code fec;
    std::filesystem::create_directories(o.data_dir, fec);
    if (fec) {
      log->error("--data-dir {}: {}", o.data_dir.string(), fec.message());
      return false;
    }
    if (!tables_in_memory && !o.one_shot) {
      std::string why;
      data_dir_lock = store::data_dir_lock::acquire(o.data_dir, why);
      if (!data_dir_lock) {
        log->error("{}", why);
        return false;
      }
    }
  }

  try {
    store::store_options so;
    so.path = tables_in_memory || o.data_dir.empty() ? ":memory:" : (o.data_dir / "tables.sqlite3").string();
    so.reset = o.reset;
    if (o.tmpl) {
      so.region = o.tmpl->settings.region;
      so.account_id = o.tmpl->settings.account_id;
    }
    tables = std::make_unique<store::table_service>(ioc.get_executor(), std::move(so));
    if (o.tmpl) tables->create_template_tables(*o.tmpl);
    tables->start();
    services.tables = &tables->store();
  } catch (const std::exception& e) {
    log->error("table store: {}", e.what());
    return false;
  }
  try {  // the durable async queue: same code path in memory and on disk
    // `lambkin invoke` (one_shot) shares the data directory of `lambkin run` but not its queue.
    const auto path =
        tables_in_memory || o.data_dir.empty() || o.one_shot ? ":memory:" : (o.data_dir / "durable.sqlite3").string();
    async_store = std::make_unique<store::async_event_store>(ioc.get_executor(), path, o.reset);
  } catch (const std::exception& e) {
    log->error("durable async queue: {}", e.what());
    return false;
  }

  try {  // S3: objects under <data-dir>/s3 (with :memory:, the temporary directory removed at exit)
    if (o.data_dir.empty()) {
      o.data_dir = temp_data_dir = make_temp_dir();
      if (o.data_dir.empty()) throw std::runtime_error("cannot create a temporary directory");
    }
    s3::s3_settings ss;
    ss.root = o.data_dir / "s3";
    ss.reset = o.reset;
    if (o.tmpl) {
      ss.region = o.tmpl->settings.region;
      ss.account_id = o.tmpl->settings.account_id;
    }
    s3 = std::make_unique<s3::s3_service>(ioc.get_executor(), std::move(ss));
    if (o.tmpl) s3->load(*o.tmpl);
    services.s3 = s3.get();
  } catch (const std::exception& e) {
    log->error("S3 store: {}", e.what());
    return false;
  }

  return true;
}

}  // namespace lambkin::io
