#pragma once
// A std::deque that owns no memory until its first element. libstdc++'s empty std::deque already
// allocates its map and a 512-byte node; a session has two queues, and most sessions (idle
// devices) never use them (issue 5: memory per idle connection).
//
// Only what the session uses is offered. Once allocated the deque is kept while it is in use
// (so a busy QoS 1 subscriber does not allocate per message); `clear` gives it back.
#include <algorithm>
#include <cstddef>
#include <deque>
#include <memory>
#include <utility>

namespace lambkin::mqtt {

template <class T>
class lazy_deque {
 public:
  using iterator = typename std::deque<T>::iterator;
  using const_iterator = typename std::deque<T>::const_iterator;

  bool empty() const noexcept { return !items_ || items_->empty(); }
  std::size_t size() const noexcept { return items_ ? items_->size() : 0; }

  void push_back(T&& v) { items().push_back(std::move(v)); }
  /// Precondition: not empty.
  T& front() { return items_->front(); }
  /// Precondition: not empty.
  T& back() { return items_->back(); }
  void pop_front() { items_->pop_front(); }
  iterator erase(iterator it) { return items_->erase(it); }
  /// Removes everything and frees the storage.
  void clear() noexcept { items_.reset(); }

  // Value-initialised iterators compare equal: an unallocated deque is an empty range.
  iterator begin() noexcept { return items_ ? items_->begin() : iterator(); }
  iterator end() noexcept { return items_ ? items_->end() : iterator(); }
  const_iterator begin() const noexcept { return items_ ? items_->cbegin() : const_iterator(); }
  const_iterator end() const noexcept { return items_ ? items_->cend() : const_iterator(); }

  /// std::erase_if for the deque: the number of elements removed.
  template <class Pred>
  friend std::size_t erase_if(lazy_deque& q, Pred pred) {
    return q.items_ ? std::erase_if(*q.items_, pred) : 0;
  }

 private:
  std::deque<T>& items() {
    if (!items_) items_ = std::make_unique<std::deque<T>>();
    return *items_;
  }

  std::unique_ptr<std::deque<T>> items_;
};

}  // namespace lambkin::mqtt
