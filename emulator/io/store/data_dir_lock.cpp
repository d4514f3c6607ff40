#include "emulator/io/store/data_dir_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace lambkin::io::store {

std::optional<data_dir_lock> data_dir_lock::acquire(const std::filesystem::path& dir, std::string& why) {
  const auto path = dir / "lambkin.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    why = "--data-dir " + dir.string() + ": cannot open " + path.string() + ": " + std::strerror(errno);
    return std::nullopt;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    std::string pid;
    char buf[32];
    const auto n = ::pread(fd, buf, sizeof buf - 1, 0);
    if (n > 0) {
      buf[n] = '\0';
      for (const char* p = buf; *p >= '0' && *p <= '9'; ++p) pid += *p;
    }
    ::close(fd);
    if (err == EWOULDBLOCK)
      why = "--data-dir " + dir.string() + " is in use by another lambkin (pid " + (pid.empty() ? "unknown" : pid) +
            "); stop it or choose another --data-dir";
    else
      why = "--data-dir " + dir.string() + ": cannot lock " + path.string() + ": " + std::strerror(err);
    return std::nullopt;
  }
  // Ours now: the pid of an earlier (dead) owner is replaced.
  const auto text = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    // A full disk may refuse the pid; the lock itself still holds.
  }
  return data_dir_lock(fd);
}

data_dir_lock::~data_dir_lock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace lambkin::io::store
