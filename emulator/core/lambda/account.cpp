#include "emulator/core/lambda/account.hpp"

#include "lambkin/error.hpp"

namespace lambkin::lambda {

account::account(account_settings settings) noexcept : settings_(settings) {}

std::error_code account::validate(const account_settings& s) {
  if (s.unreserved_minimum > s.concurrency_limit) return make_error_code(errc::invalid_parameter_value);
  return {};
}

std::error_code account::check_carve_out(std::uint32_t from, std::uint32_t to) const noexcept {
  // 64-bit arithmetic: a limit near UINT32_MAX must not wrap.
  const std::uint64_t total = std::uint64_t{carved_out_} - from + to;
  const std::uint64_t room = settings_.concurrency_limit >= settings_.unreserved_minimum
                                 ? settings_.concurrency_limit - settings_.unreserved_minimum
                                 : 0;
  if (to > from && total > room) return make_error_code(errc::invalid_parameter_value);
  return {};
}

std::error_code account::change_carve_out(std::uint32_t from, std::uint32_t to) noexcept {
  if (auto ec = check_carve_out(from, to)) return ec;
  carved_out_ = carved_out_ - from + to;
  return {};
}

bool account::try_acquire() noexcept {
  if (in_use_ >= unreserved_capacity()) return false;
  ++in_use_;
  return true;
}

void account::acquire_unchecked(std::uint32_t n) noexcept { in_use_ += n; }

void account::release(std::uint32_t n) noexcept { in_use_ = n > in_use_ ? 0 : in_use_ - n; }

std::error_code account::set_concurrency_limit(std::uint32_t limit) noexcept {
  if (limit < settings_.unreserved_minimum ||
      std::uint64_t{carved_out_} > std::uint64_t{limit} - settings_.unreserved_minimum)
    return make_error_code(errc::invalid_parameter_value);
  settings_.concurrency_limit = limit;
  return {};
}

std::uint32_t account::unreserved_capacity() const noexcept {
  return settings_.concurrency_limit > carved_out_ ? settings_.concurrency_limit - carved_out_ : 0;
}

std::uint32_t account::unreserved_available() const noexcept {
  const auto cap = unreserved_capacity();
  return in_use_ >= cap ? 0 : cap - in_use_;
}

}  // namespace lambkin::lambda
