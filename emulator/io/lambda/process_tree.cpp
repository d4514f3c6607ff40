#include "emulator/io/lambda/process_tree.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lambkin::io::lambda {
namespace {

// Small /proc files are read with plain open/read: this runs every 100 ms per running function.
bool read_file(const char* path, std::string& out) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  out.clear();
  char buf[4096];
  for (;;) {
    const auto n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return !out.empty();
}

template <class Int>
bool parse_int(std::string_view s, Int& value) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc{} && p != s.data();
}

struct stat_fields {
  char state = '?';
  pid_t ppid = 0;
  pid_t pgrp = 0;
};

// /proc/<pid>/stat is "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses,
// so the fields start after the last ')'.
std::optional<stat_fields> read_stat(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  std::string text;
  if (!read_file(path, text)) return std::nullopt;
  const auto close = text.rfind(')');
  if (close == std::string::npos || close + 4 > text.size()) return std::nullopt;
  std::string_view rest(text);
  rest.remove_prefix(close + 2);
  stat_fields f;
  f.state = rest.front();
  rest.remove_prefix(std::min<std::size_t>(2, rest.size()));
  if (!parse_int(rest, f.ppid)) return std::nullopt;
  rest.remove_prefix(std::min(rest.find(' ') + 1, rest.size()));
  if (!parse_int(rest, f.pgrp)) return std::nullopt;
  return f;
}

template <class F>
void for_each_numeric_entry(const char* dir_path, F&& f) {
  DIR* dir = ::opendir(dir_path);
  if (!dir) return;
  while (const dirent* e = ::readdir(dir)) {
    pid_t pid = 0;
    if (parse_int(std::string_view(e->d_name), pid)) f(pid);
  }
  ::closedir(dir);
}

constexpr std::size_t max_tree = 8192;

bool kernel_has_children_files() {
  static const bool has = ::access("/proc/thread-self/children", R_OK) == 0;
  return has;
}

// Descendants through /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN).
/// The pids of a `/proc/<pid>/task/<tid>/children` file ("12 34 ").
void parse_children(std::string_view rest, std::vector<pid_t>& out) {
  while (!rest.empty()) {
    pid_t child = 0;
    if (parse_int(rest, child)) out.push_back(child);
    const auto sp = rest.find(' ');
    if (sp == std::string_view::npos) break;
    rest.remove_prefix(sp + 1);
  }
}

void add_children(pid_t pid, std::vector<pid_t>& out) {
  char task_dir[64];
  std::snprintf(task_dir, sizeof task_dir, "/proc/%d/task", static_cast<int>(pid));
  for_each_numeric_entry(task_dir, [&](pid_t tid) {
    char path[96];
    std::snprintf(path, sizeof path, "/proc/%d/task/%d/children", static_cast<int>(pid), static_cast<int>(tid));
    std::string text;
    if (read_file(path, text)) parse_children(text, out);
  });
}

}  // namespace

std::vector<pid_t> process_tree(pid_t root, pid_t pgid, tree_source source) {
  std::vector<pid_t> tree;
  if (!read_stat(root)) return tree;
  tree.push_back(root);
  if (source == tree_source::children_files ||
      (source == tree_source::automatic && kernel_has_children_files())) {
    // The cap guards against a cycle made of reused pids read at different moments.
    for (std::size_t i = 0; i < tree.size() && tree.size() < max_tree; ++i) add_children(tree[i], tree);
    return tree;
  }
  // Without children files: one pass over /proc, then a breadth-first walk over parent links.
  std::unordered_multimap<pid_t, pid_t> children;
  std::vector<pid_t> group;
  for_each_numeric_entry("/proc", [&](pid_t pid) {
    if (pid == root) return;
    if (auto f = read_stat(pid)) {
      children.emplace(f->ppid, pid);
      if (f->pgrp == pgid) group.push_back(pid);
    }
  });
  for (std::size_t i = 0; i < tree.size() && tree.size() < max_tree; ++i) {
    auto [first, last] = children.equal_range(tree[i]);
    for (auto it = first; it != last; ++it) tree.push_back(it->second);
  }
  for (pid_t pid : group)
    if (std::find(tree.begin(), tree.end(), pid) == tree.end()) tree.push_back(pid);
  return tree;
}

std::uint64_t resident_bytes(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/statm", static_cast<int>(pid));
  std::string text;
  if (!read_file(path, text)) return 0;
  std::string_view rest(text);
  rest.remove_prefix(std::min(rest.find(' ') + 1, rest.size()));  // skip "size"
  std::uint64_t pages = 0;
  if (!parse_int(rest, pages)) return 0;
  static const auto page_size = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  return pages * page_size;
}

std::uint64_t tree_resident_bytes(pid_t root, pid_t pgid, tree_source source) {
  std::uint64_t total = 0;
  for (pid_t pid : process_tree(root, pgid, source)) total += resident_bytes(pid);
  return total;
}

namespace {

// pread from the start: /proc's seq files regenerate their text for a read at offset 0.
bool pread_file(int fd, std::string& out) {
  out.clear();
  char buf[4096];
  for (off_t offset = 0;;) {
    const auto n = ::pread(fd, buf, sizeof buf, offset);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    offset += n;
    if (static_cast<std::size_t>(n) < sizeof buf) break;  // a short read is the end of these files
  }
  return !out.empty();
}

std::uint64_t statm_resident(const std::string& text) {
  std::string_view rest(text);
  rest.remove_prefix(std::min(rest.find(' ') + 1, rest.size()));  // skip "size"
  std::uint64_t pages = 0;
  if (!parse_int(rest, pages)) return 0;
  static const auto page_size = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  return pages * page_size;
}

}  // namespace

tree_sampler::tree_sampler(pid_t root) : root_(root) {
  if (!kernel_has_children_files()) return;
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/statm", static_cast<int>(root));
  statm_fd_ = ::open(path, O_RDONLY | O_CLOEXEC);
  std::snprintf(path, sizeof path, "/proc/%d/task", static_cast<int>(root));
  tasks_ = ::opendir(path);
}

tree_sampler::~tree_sampler() {
  for (const auto& [tid, fd] : children_) ::close(fd);
  if (tasks_) ::closedir(tasks_);
  if (statm_fd_ >= 0) ::close(statm_fd_);
}

bool tree_sampler::read_children(pid_t tid, std::string& text) {
  for (const auto& [t, fd] : children_)
    if (t == tid) return pread_file(fd, text);
  char path[64];
  std::snprintf(path, sizeof path, "%d/children", static_cast<int>(tid));
  const int fd = ::openat(::dirfd(tasks_), path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = pread_file(fd, text);
  if (children_.size() < max_cached_threads) {
    children_.emplace_back(tid, fd);
  } else {
    ::close(fd);
  }
  return ok;
}

std::uint64_t tree_sampler::resident_bytes() {
  if (!kernel_has_children_files()) return tree_resident_bytes(root_, root_);
  if (statm_fd_ < 0 || !tasks_) return 0;
  std::string text;
  if (!pread_file(statm_fd_, text)) return 0;  // the root is gone
  std::uint64_t total = statm_resident(text);

  std::vector<pid_t> tree;
  std::vector<pid_t> seen;
  // /proc/<pid>/task's link count is 2 + the number of threads. With one thread (a C++ or Go
  // runtime) that thread is the root itself: its children file is all there is to read, and the
  // listing (a rewind and two getdents) is skipped: 3 system calls per sample instead of 5.
  struct stat dir {};
  if (::fstat(::dirfd(tasks_), &dir) == 0 && dir.st_nlink == 3) {
    seen.push_back(root_);
    if (read_children(root_, text)) parse_children(text, tree);
  } else {
    ::rewinddir(tasks_);
    while (const dirent* e = ::readdir(tasks_)) {
      pid_t tid = 0;
      if (!parse_int(std::string_view(e->d_name), tid)) continue;
      seen.push_back(tid);
      if (read_children(tid, text)) parse_children(text, tree);
    }
  }
  // Forget the threads that ended.
  std::erase_if(children_, [&](const std::pair<pid_t, int>& c) {
    if (std::find(seen.begin(), seen.end(), c.first) != seen.end()) return false;
    ::close(c.second);
    return true;
  });
  // Descendants (rare for a runtime): by path, as process_tree does.
  for (std::size_t i = 0; i < tree.size() && tree.size() < max_tree; ++i) add_children(tree[i], tree);
  for (pid_t pid : tree) total += lambda::resident_bytes(pid);
  return total;
}

std::optional<char> process_state(pid_t pid) {
  auto f = read_stat(pid);
  if (!f) return std::nullopt;
  return f->state;
}

}  // namespace lambkin::io::lambda
