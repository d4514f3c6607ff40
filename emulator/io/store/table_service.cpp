#include "emulator/io/store/table_service.hpp"

#include "emulator/io/log.hpp"
#include "emulator/io/store/table_definition_json.hpp"

#include <boost/json/serialize.hpp>

namespace lambkin::io::store {
namespace {

std::int64_t epoch_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

table_service::table_service(boost::asio::any_io_executor executor, store_options options)
    : store_(std::make_unique<table_store>(std::move(options))), timer_(executor) {}

table_service::~table_service() = default;

std::size_t table_service::create_template_tables(const config::template_config& tmpl) {
  std::size_t created = 0;
  for (const auto& t : tmpl.tables) {
    if (const auto* existing = store_->find(t.name)) {
      if (table_to_json(existing->def) == table_to_json(t)) {
        if (existing->def.ttl_attribute != t.ttl_attribute) store_->set_ttl(t.name, t.ttl_attribute);
        continue;
      }
      logger("store")->warn("table {}: its definition changed in the template; recreating it empty", t.name);
      store_->drop(t.name);
    }
    auto r = store_->create(t, epoch_ms());
    if (r) ++created;
  }
  return created;
}

void table_service::start(std::chrono::seconds purge_interval) {
  interval_ = purge_interval;
  arm();
}

void table_service::stop() {
  stopped_ = true;
  timer_.cancel();
}

void table_service::arm() {
  if (stopped_) return;
  timer_.expires_after(interval_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    try {
      const auto n = store_->purge_expired(epoch_ms() / 1000);
      if (n > 0) logger("store")->debug("TTL: deleted {} expired items", n);
    } catch (const sqlite_error& e) {
      logger("store")->error("TTL purge: {}", e.what());
    }
    arm();
  });
}

}  // namespace lambkin::io::store
