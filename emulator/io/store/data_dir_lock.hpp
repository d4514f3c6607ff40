#pragma once
// One lambkin per data directory: `<data-dir>/lambkin.lock`, held with flock(2) for the life of
// the process. The kernel drops the lock when the process ends however it ends (kill -9
// included), so a stale lock file never blocks a restart. The file holds the owner's pid, for
// the message a second lambkin prints. Opened O_CLOEXEC: function processes do not inherit it.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

namespace lambkin::io::store {

class data_dir_lock {
 public:
  /// Takes the lock on `dir` (which exists). On failure nullopt, and `why` says why (naming the
  /// directory and, when another lambkin holds it, that process's pid).
  static std::optional<data_dir_lock> acquire(const std::filesystem::path& dir, std::string& why);

  data_dir_lock(data_dir_lock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  data_dir_lock& operator=(data_dir_lock&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  data_dir_lock(const data_dir_lock&) = delete;
  ~data_dir_lock();

 private:
  explicit data_dir_lock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace lambkin::io::store
