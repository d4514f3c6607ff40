#include "emulator/io/mqtt/connection_table.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <set>
#include <vector>

using lambkin::io::mqtt::connection;
using lambkin::io::mqtt::connection_table;
using lambkin::io::mqtt::write_limits;
namespace core = lambkin::mqtt;

namespace {
std::shared_ptr<connection> make(connection_table& t, const write_limits& limits) {
  auto c = std::make_shared<connection>(t.reserve(), "127.0.0.1", 1024, limits);
  t.put(c);
  return c;
}
}  // namespace

TEST_CASE("connection_table: ids find their connection until erased, freed slots are reused under new ids") {
  const write_limits limits;
  connection_table t;
  CHECK(t.empty());
  auto a = make(t, limits);
  auto b = make(t, limits);
  CHECK(a->id() != b->id());
  CHECK(t.size() == 2);
  REQUIRE(t.find(a->id()) != nullptr);
  CHECK(t.find(a->id())->get() == a.get());
  CHECK(t.find(b->id())->get() == b.get());
  CHECK(t.find(core::connection_id{0}) == nullptr);
  CHECK(t.find(core::connection_id{12345}) == nullptr);

  const auto old = a->id();
  t.erase(old);
  CHECK(t.size() == 1);
  CHECK(t.find(old) == nullptr);
  t.erase(old);  // twice: nothing (the slot is not freed twice)
  CHECK(t.size() == 1);

  // The slot comes back once, with a new id; the old id still finds nothing.
  auto c = make(t, limits);
  auto d = make(t, limits);
  CHECK(c->id() != old);
  CHECK((c->id().value() & 0xFFFFFF) == (old.value() & 0xFFFFFF));
  CHECK((d->id().value() & 0xFFFFFF) != (old.value() & 0xFFFFFF));
  CHECK(t.find(old) == nullptr);
  t.erase(old);  // a stale id does not touch the slot's new connection
  CHECK(t.find(c->id())->get() == c.get());
  CHECK(t.size() == 3);

  // A reserved slot given back unused is handed out again.
  const auto unused = t.reserve();
  CHECK(t.find(unused) == nullptr);
  t.unreserve(unused);
  auto e = make(t, limits);
  CHECK((e->id().value() & 0xFFFFFF) == (unused.value() & 0xFFFFFF));
  CHECK(e->id() != unused);

  std::set<connection*> seen;
  t.for_each([&](const std::shared_ptr<connection>& x) { seen.insert(x.get()); });
  CHECK(seen == std::set<connection*>{b.get(), c.get(), d.get(), e.get()});
  CHECK(t.snapshot().size() == 4);
}

TEST_CASE("connection_table: thousands of connections across chunks") {
  const write_limits limits;
  connection_table t;
  std::vector<std::shared_ptr<connection>> all;
  for (int i = 0; i < 5000; ++i) all.push_back(make(t, limits));
  CHECK(t.size() == 5000);
  for (std::size_t i = 0; i < all.size(); i += 2) t.erase(all[i]->id());
  CHECK(t.size() == 2500);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto* found = t.find(all[i]->id());
    if (i % 2 == 0)
      CHECK(found == nullptr);
    else
      CHECK((found != nullptr && found->get() == all[i].get()));
  }
  std::size_t n = 0;
  t.for_each([&](const std::shared_ptr<connection>&) { ++n; });
  CHECK(n == 2500);
}
