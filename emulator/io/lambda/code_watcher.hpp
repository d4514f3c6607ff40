#pragma once
// Watches a function's code directory for hot reload (inotify, read through Asio).
//
//  - Every directory under the root is watched (created, deleted, moved, written, closed after
//    writing, attributes changed), including directories created later. Churn is skipped
//    (code_package.hpp's `is_ignored_name`: .git, __pycache__, editor swap files, …), and
//    `node_modules` is watched at its top level only: installing or removing a package is seen,
//    the thousands of directories inside are not (inotify watches are a per-user budget).
//  - Changes are debounced: `on_change(path)` fires once the tree has been quiet for `quiet`
//    (default 200 ms), or at the latest `max_wait` (2 s) after the first change of a burst, with
//    the first changed path of the burst relative to the root (`index.js`, `lib/util.js`).
//  - An overflowing event queue counts as a change of "." (something changed, unknown what).
//  - Paths under `exclude` (e.g. lambkin's data directory, when a template's code directory is
//    the template's own directory) are ignored.
//
// Thread safety: single-threaded; every member and the callback run on the executor's thread.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <unordered_map>
#include <vector>

namespace lambkin::io::lambda {

namespace net = boost::asio;

struct watch_options {
  std::chrono::milliseconds quiet{200};
  std::chrono::milliseconds max_wait{2000};
  std::vector<std::filesystem::path> exclude;
};

class code_watcher {
 public:
  using change_handler = std::function<void(std::string relative_path)>;

  code_watcher(net::any_io_executor executor, std::filesystem::path root, change_handler on_change,
               watch_options options = {});
  ~code_watcher();
  code_watcher(const code_watcher&) = delete;
  code_watcher& operator=(const code_watcher&) = delete;

  /// Creates the inotify instance and the watches, then starts reading. Errors (no inotify
  /// instance left, the root missing) are returned; nothing is watched then.
  std::error_code start();
  /// Directories watched now (for tests and logs).
  std::size_t watched() const noexcept { return dirs_.size(); }

 private:
  void add_tree(const std::filesystem::path& dir);
  void add_one(const std::filesystem::path& dir, bool shallow);
  void read();
  void on_events(std::size_t bytes);
  void changed(const std::filesystem::path& relative);
  bool excluded(const std::filesystem::path& absolute) const;

  net::any_io_executor executor_;
  std::filesystem::path root_;
  change_handler on_change_;
  watch_options options_;
  int fd_ = -1;
  /// errno of the last failed inotify_add_watch.
  int add_error_ = 0;
  std::unique_ptr<net::posix::stream_descriptor> stream_;
  /// watch descriptor → watched directory (absolute); `shallow` for node_modules.
  struct watched_dir {
    std::filesystem::path path;
    bool shallow = false;
  };
  std::unordered_map<int, watched_dir> dirs_;
  alignas(8) std::array<char, 64 * 1024> buffer_{};
  net::steady_timer timer_;
  std::optional<std::string> pending_;
  std::chrono::steady_clock::time_point burst_started_{};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lambkin::io::lambda
