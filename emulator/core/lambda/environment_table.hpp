#pragma once
// A pool's environments: a vector sorted by id (ids only grow, so adding is a push_back and
// lookup a binary search) plus one most-recently-used stack of idle environments per
// initialization type. No node-based containers, no string keys.
#include "emulator/core/lambda/environment.hpp"
#include "emulator/core/lambda/invocation.hpp"
#include "lambkin/ids.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <vector>

namespace lambkin::lambda {

/// Thread safety: none; owned by one `function_pool`.
/// Pointers and references into the table are invalidated by `add` and `erase`.
class environment_table {
 public:
  /// Adds `e`, whose id must be greater than every id added before; returns the stored copy.
  environment& add(const environment& e);

  environment* find(environment_id id) noexcept;
  const environment* find(environment_id id) const noexcept;

  /// Forgets the environment (and its idle-stack entry, if it is idle). Unknown ids are ignored.
  void erase(environment_id id) noexcept;

  /// Puts an idle environment on top of its type's idle stack (it is the most recently used).
  void push_idle(const environment& e);

  /// Pops the most recently used idle environment of `version` and `type`, or nullptr. MRU reuse
  /// keeps the working set small: the environments at the bottom stay idle and get reaped.
  environment* take_idle(version_id version, initialization_type type) noexcept;

  /// Removes an environment from its idle stack (it is being stopped while idle).
  void remove_idle(environment_id id) noexcept;

  std::span<const environment> all() const noexcept { return envs_; }
  std::size_t size() const noexcept { return envs_.size(); }
  std::size_t idle_count() const noexcept { return idle_[0].size() + idle_[1].size(); }

 private:
  struct idle_entry {
    environment_id id;
    version_id version;
  };
  static std::size_t stack_of(initialization_type t) noexcept { return static_cast<std::size_t>(t); }

  std::vector<environment> envs_;
  /// Indexed by initialization_type; back() = most recently used.
  std::array<std::vector<idle_entry>, 2> idle_;
};

}  // namespace lambkin::lambda
