#pragma once
// What the function pools of one account (one emulator) share: the concurrency pool and the id
// sequence for environments and timers.
#include "lambkin/ids.hpp"

#include <cstdint>
#include <system_error>

namespace lambkin::lambda {

struct account_settings {
  /// Concurrent executions per Region (AWS default 1,000).
  std::uint32_t concurrency_limit = 1000;
  /// Concurrency that reservations can never take (AWS keeps at least 100 unreserved).
  std::uint32_t unreserved_minimum = 100;
};

/// The concurrency accountant. AWS's model (reference/lambda.md §4.1), as lambkin counts it:
///  - Concurrency is in-flight requests: an environment counts while it is busy or initializing
///    for a bound request. Idle warm environments count nothing.
///  - A function with reserved concurrency R takes R out of the account for good ("carve-out"),
///    used or not, and never exceeds R; it never asks the account for slots.
///  - Provisioned concurrency P is allocated capacity too: inside R for a reserved function, or
///    carved out of the account for an unreserved one.
///  - Every other invocation of an unreserved function (on-demand, including PC spillover) holds
///    one slot of the unreserved pool, capacity = limit − Σ carve-outs, shared by those functions.
///  - Carve-outs may total at most limit − unreserved_minimum.
/// Thread safety: none; the pools and the account live on one thread (one io_context, or the
/// simulator's loop).
class account {
 public:
  explicit account(account_settings settings = {}) noexcept;

  /// errc::invalid_parameter_value when unreserved_minimum > concurrency_limit.
  static std::error_code validate(const account_settings& s);

  // ---- carve-outs (reservations, provisioned concurrency of unreserved functions) ----
  /// errc::invalid_parameter_value if replacing a carve-out of `from` by `to` would leave less
  /// than the unreserved minimum.
  std::error_code check_carve_out(std::uint32_t from, std::uint32_t to) const noexcept;
  /// Same check, then applies it. Slots already held stay held even if the pool is now over
  /// capacity; new acquisitions fail until it drains.
  std::error_code change_carve_out(std::uint32_t from, std::uint32_t to) noexcept;

  // ---- the unreserved pool ----
  /// Takes one unreserved slot; false (nothing changes) when none is free.
  bool try_acquire() noexcept;
  /// Takes `n` slots even over capacity (a function losing its reservation keeps its in-flight).
  void acquire_unchecked(std::uint32_t n) noexcept;
  /// Returns `n` slots.
  void release(std::uint32_t n = 1) noexcept;

  /// Changes the limit; errc::invalid_parameter_value if the carve-outs would no longer fit.
  std::error_code set_concurrency_limit(std::uint32_t limit) noexcept;

  // ---- ids ----
  /// The next id of the account-wide sequence (1, 2, 3…): environment ids, and the timer ids of
  /// pool-level timers. Unique for the account's lifetime, increasing.
  std::uint64_t next_id() noexcept { return ++last_id_; }

  // ---- queries ----
  std::uint32_t concurrency_limit() const noexcept { return settings_.concurrency_limit; }
  std::uint32_t unreserved_minimum() const noexcept { return settings_.unreserved_minimum; }
  /// Σ carve-outs.
  std::uint32_t carved_out() const noexcept { return carved_out_; }
  /// limit − carved_out(): what unreserved functions share.
  std::uint32_t unreserved_capacity() const noexcept;
  std::uint32_t unreserved_in_use() const noexcept { return in_use_; }
  std::uint32_t unreserved_available() const noexcept;

 private:
  account_settings settings_;
  std::uint32_t carved_out_ = 0;
  std::uint32_t in_use_ = 0;
  std::uint64_t last_id_ = 0;
};

}  // namespace lambkin::lambda
