#pragma once
// The server's open connections by id, in slots instead of a hash map's nodes: an id carries its
// slot (low `slot_bits` bits) and a serial number (the bits above), so a lookup is an index and a
// comparison, and a connection costs its slot's 16 bytes (a node of
// `unordered_map<connection_id, shared_ptr>` costs a 48-byte allocation plus its bucket; issue 5,
// memory per idle connection). Slots live in fixed-size chunks, so the table never moves
// them and wastes at most one chunk; freed slots are reused, their ids never are (the serial
// keeps growing): a stale id finds nothing.
//
// Thread safety: none; used on the server's thread only.
#include "emulator/io/mqtt/mqtt_connection.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace lambkin::io::mqtt {

class connection_table {
 public:
  static constexpr unsigned slot_bits = 24;  // 16 M connections at once; serials use 32 more bits

  /// A fresh id with a free slot reserved for it: `put` the connection made with it, or `unreserve` it.
  core::connection_id reserve() {
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = used_++;
      if (slot / chunk_size == chunks_.size()) chunks_.push_back(std::make_unique<chunk>());
    }
    return core::connection_id{(++serial_ << slot_bits) | slot};
  }
  /// Stores `c` (made with an id from `reserve`) in its slot.
  void put(std::shared_ptr<connection> c) {
    at(slot_of(c->id())) = std::move(c);
    ++size_;
  }
  /// The connection with this id; null if it is gone (or never was).
  const std::shared_ptr<connection>* find(core::connection_id id) const noexcept {
    const std::uint64_t slot = slot_of(id);
    if (slot >= used_) return nullptr;
    const auto& c = at(slot);
    return c && c->id() == id ? &c : nullptr;
  }
  /// Frees the slot of the connection with this id; nothing if it is gone already.
  void erase(core::connection_id id) {
    const std::uint64_t slot = slot_of(id);
    if (slot >= used_) return;
    auto& c = at(slot);
    if (!c || c->id() != id) return;
    c.reset();
    --size_;
    free_.push_back(static_cast<std::uint32_t>(slot));
  }
  /// Gives back a slot `reserve`d for a connection that was never `put`.
  void unreserve(core::connection_id id) { free_.push_back(static_cast<std::uint32_t>(slot_of(id))); }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  /// Calls `f(const std::shared_ptr<connection>&)` for each open connection, in slot order. `f`
  /// must not add or erase connections.
  template <class F>
  void for_each(F&& f) const {
    for (std::uint32_t slot = 0; slot < used_; ++slot)
      if (const auto& c = at(slot)) f(c);
  }
  /// The open connections, copied (for loops whose body may erase).
  std::vector<std::shared_ptr<connection>> snapshot() const {
    std::vector<std::shared_ptr<connection>> all;
    all.reserve(size_);
    for_each([&](const std::shared_ptr<connection>& c) { all.push_back(c); });
    return all;
  }

 private:
  static constexpr std::size_t chunk_size = 1024;  // 16 KB of slots
  using chunk = std::array<std::shared_ptr<connection>, chunk_size>;
  static std::uint64_t slot_of(core::connection_id id) noexcept {
    return id.value() & ((std::uint64_t{1} << slot_bits) - 1);
  }
  std::shared_ptr<connection>& at(std::uint64_t slot) const noexcept {
    return (*chunks_[slot / chunk_size])[slot % chunk_size];
  }

  std::vector<std::unique_ptr<chunk>> chunks_;
  std::vector<std::uint32_t> free_;
  std::uint32_t used_ = 0;  // slots handed out at least once
  std::size_t size_ = 0;
  std::uint64_t serial_ = 0;
};

}  // namespace lambkin::io::mqtt
