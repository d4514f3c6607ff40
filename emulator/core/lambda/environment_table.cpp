#include "emulator/core/lambda/environment_table.hpp"

#include <algorithm>
#include <stdexcept>

namespace lambkin::lambda {
namespace {

auto by_id = [](const environment& e, environment_id id) { return e.id < id; };

}  // namespace

environment& environment_table::add(const environment& e) {
  // Ids come from the account's increasing sequence; anything else is a bug in the caller.
  if (!envs_.empty() && !(envs_.back().id < e.id))
    throw std::logic_error("environment_table::add: ids must increase");
  return envs_.emplace_back(e);
}

environment* environment_table::find(environment_id id) noexcept {
  auto it = std::lower_bound(envs_.begin(), envs_.end(), id, by_id);
  return it != envs_.end() && it->id == id ? &*it : nullptr;
}

const environment* environment_table::find(environment_id id) const noexcept {
  auto it = std::lower_bound(envs_.begin(), envs_.end(), id, by_id);
  return it != envs_.end() && it->id == id ? &*it : nullptr;
}

void environment_table::erase(environment_id id) noexcept {
  auto it = std::lower_bound(envs_.begin(), envs_.end(), id, by_id);
  if (it == envs_.end() || it->id != id) return;
  if (it->state == environment_state::idle) remove_idle(id);
  envs_.erase(it);
}

void environment_table::push_idle(const environment& e) {
  idle_[stack_of(e.init_type)].push_back({e.id, e.version});
}

environment* environment_table::take_idle(version_id version, initialization_type type) noexcept {
  auto& stack = idle_[stack_of(type)];
  // Usually every idle environment has the same version and the top one matches at once.
  for (auto i = stack.size(); i-- > 0;) {
    if (stack[i].version == version) {
      const environment_id id = stack[i].id;
      stack.erase(stack.begin() + static_cast<std::ptrdiff_t>(i));
      return find(id);
    }
  }
  return nullptr;
}

void environment_table::remove_idle(environment_id id) noexcept {
  for (auto& stack : idle_) {
    auto it = std::find_if(stack.begin(), stack.end(), [&](const idle_entry& x) { return x.id == id; });
    if (it != stack.end()) {
      stack.erase(it);
      return;
    }
  }
}

}  // namespace lambkin::lambda
