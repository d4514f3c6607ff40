#include "emulator/core/lambda/retention.hpp"

namespace lambkin::lambda {

retention::retention(idle_retention settings) noexcept : settings_(settings), rng_(settings.seed) {}

duration retention::next_period() noexcept {
  // A fixed period draws nothing, so switching a seed on a fixed setting changes nothing.
  if (settings_.max <= settings_.min) return settings_.min;
  const auto span = static_cast<std::uint64_t>((settings_.max - settings_.min).count());
  return settings_.min + duration(static_cast<duration::rep>(uniform_between(rng_, 0, span)));
}

}  // namespace lambkin::lambda
