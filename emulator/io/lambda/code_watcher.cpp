#include "emulator/io/lambda/code_watcher.hpp"

#include "emulator/io/lambda/code_package.hpp"
#include "emulator/io/log.hpp"

#include <boost/asio/buffer.hpp>

#include <algorithm>
#include <cstring>

#include <sys/inotify.h>
#include <unistd.h>

namespace lambkin::io::lambda {
namespace fs = std::filesystem;
namespace {

// No IN_ATTRIB: a runtime reading a file it was just given can update its atime, which would
// look like a change and reload once more.
constexpr std::uint32_t watch_mask = IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
                                     IN_MOVED_TO | IN_DELETE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK;

}  // namespace

code_watcher::code_watcher(net::any_io_executor executor, fs::path root, change_handler on_change,
                           watch_options options)
    : executor_(std::move(executor)),
      root_(std::move(root)),
      on_change_(std::move(on_change)),
      options_(std::move(options)),
      timer_(executor_) {}

code_watcher::~code_watcher() {
  *alive_ = false;
  if (stream_) {
    boost::system::error_code ignored;
    stream_->close(ignored);  // closes the inotify fd, dropping every watch
  } else if (fd_ >= 0) {
    ::close(fd_);
  }
}

std::error_code code_watcher::start() {
  std::error_code ec;
  if (!fs::is_directory(root_, ec)) return ec ? ec : std::make_error_code(std::errc::not_a_directory);
  fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) return {errno, std::system_category()};
  stream_ = std::make_unique<net::posix::stream_descriptor>(executor_, fd_);
  add_tree(root_);
  if (dirs_.empty()) return {add_error_, std::system_category()};
  read();
  return {};
}

bool code_watcher::excluded(const fs::path& absolute) const {
  return std::any_of(options_.exclude.begin(), options_.exclude.end(), [&](const fs::path& x) {
    const auto rel = absolute.lexically_relative(x);
    return !rel.empty() && *rel.begin() != "..";
  });
}

void code_watcher::add_one(const fs::path& dir, bool shallow) {
  const int wd = ::inotify_add_watch(fd_, dir.c_str(), watch_mask);
  if (wd < 0) {
    add_error_ = errno;
    logger("lambda")->warn("hot reload: cannot watch {}: {}", dir.string(), std::strerror(errno));
    return;
  }
  dirs_[wd] = watched_dir{dir, shallow};
}

void code_watcher::add_tree(const fs::path& dir) {
  add_one(dir, false);
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it->is_symlink() || !it->is_directory()) continue;
    const auto name = it->path().filename().string();
    if (is_ignored_name(name) || excluded(it->path())) {
      it.disable_recursion_pending();
      continue;
    }
    const bool shallow = name == "node_modules";
    add_one(it->path(), shallow);
    if (shallow) it.disable_recursion_pending();
  }
}

void code_watcher::read() {
  stream_->async_read_some(net::buffer(buffer_), [this, alive = alive_](const boost::system::error_code& ec,
                                                                         std::size_t bytes) {
    if (!*alive || ec == net::error::operation_aborted) return;
    if (ec) {
      logger("lambda")->warn("hot reload: reading inotify events of {}: {}", root_.string(), ec.message());
      return;
    }
    on_events(bytes);
    read();
  });
}

void code_watcher::on_events(std::size_t bytes) {
  std::size_t offset = 0;
  while (offset + sizeof(inotify_event) <= bytes) {
    inotify_event ev;
    std::memcpy(&ev, buffer_.data() + offset, sizeof ev);
    const char* name_at = buffer_.data() + offset + sizeof(inotify_event);
    offset += sizeof(inotify_event) + ev.len;
    if (ev.mask & IN_Q_OVERFLOW) {
      changed(".");
      continue;
    }
    auto it = dirs_.find(ev.wd);
    if (it == dirs_.end()) continue;
    if (ev.mask & IN_IGNORED) {  // the directory is gone (or the watch was removed)
      dirs_.erase(it);
      continue;
    }
    const std::string name = ev.len > 0 ? std::string(name_at, ::strnlen(name_at, ev.len)) : std::string();
    if (!name.empty() && is_ignored_name(name)) continue;
    const fs::path full = name.empty() ? it->second.path : it->second.path / name;
    if (excluded(full)) continue;
    const bool new_dir = (ev.mask & IN_ISDIR) && (ev.mask & (IN_CREATE | IN_MOVED_TO));
    if (new_dir && !it->second.shallow) {
      if (name == "node_modules")
        add_one(full, true);
      else
        add_tree(full);
    }
    const auto rel = full.lexically_relative(root_);
    changed(rel.empty() ? fs::path(".") : rel);
  }
}

void code_watcher::changed(const fs::path& relative) {
  const auto now = std::chrono::steady_clock::now();
  if (!pending_) {
    pending_ = relative.generic_string();
    burst_started_ = now;
  }
  timer_.expires_at(std::min(now + options_.quiet, burst_started_ + options_.max_wait));
  timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive || !pending_) return;  // moved by a later change, or destroyed
    auto path = std::move(*pending_);
    pending_.reset();
    on_change_(std::move(path));
  });
}

}  // namespace lambkin::io::lambda
