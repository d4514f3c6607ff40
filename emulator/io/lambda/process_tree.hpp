#pragma once
// Reading processes from /proc: a function's process tree and its resident memory.
//
// Thread safety: free functions without shared state (they only read /proc); a `tree_sampler`
// belongs to one thread.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <dirent.h>

#include <sys/types.h>

namespace lambkin::io::lambda {

/// How `process_tree` finds descendants.
enum class tree_source {
  /// children files when the kernel has them (CONFIG_PROC_CHILDREN), else the scan.
  automatic,
  /// /proc/<pid>/task/<tid>/children, recursively: cheap (a few files per process of the tree).
  children_files,
  /// One pass over /proc/*/stat (every process on the machine); also finds orphaned group members.
  proc_scan,
};

/// `root` and every descendant of it, root first; with `proc_scan` also every other member of
/// process group `pgid` (a descendant that was orphaned keeps its group). Empty when `root` is gone.
std::vector<pid_t> process_tree(pid_t root, pid_t pgid, tree_source source = tree_source::automatic);

/// Resident set size of one process in bytes (/proc/<pid>/statm); 0 when it is gone.
std::uint64_t resident_bytes(pid_t pid);

/// Sum of `resident_bytes` over `process_tree(root, pgid)`. Pages shared between processes of the
/// tree are counted once per process, like adding up `ps` RSS values.
std::uint64_t tree_resident_bytes(pid_t root, pid_t pgid, tree_source source = tree_source::automatic);

/// `tree_resident_bytes(root, root)` again and again for one process, at a fraction of the cost:
/// it keeps the root's /proc files open (its statm, its task directory, each thread's children
/// file) and re-reads them with pread, so a sample of a process without children is a handful of
/// system calls instead of a dozen opens and closes (three for a single-threaded root without
/// children: statm, an fstat of the task directory, whose link count tells the number of threads,
/// and the root's children file; the directory is listed only when there are more threads). The files stay bound to the process they were
/// opened for: once it is gone they read nothing (0 bytes), even if its pid is reused. Descendants
/// are found through the children files on every sample (none is missed) and read by path.
/// Where the kernel has no children files (see `tree_source`) it calls `tree_resident_bytes`.
class tree_sampler {
 public:
  explicit tree_sampler(pid_t root);
  ~tree_sampler();
  tree_sampler(const tree_sampler&) = delete;
  tree_sampler& operator=(const tree_sampler&) = delete;

  pid_t root() const noexcept { return root_; }
  /// The tree's resident bytes now; 0 once the root is gone.
  std::uint64_t resident_bytes();

 private:
  // The children file of thread `tid`, kept open for the first `max_cached_threads` threads.
  bool read_children(pid_t tid, std::string& text);
  static constexpr std::size_t max_cached_threads = 16;

  pid_t root_;
  int statm_fd_ = -1;
  DIR* tasks_ = nullptr;
  // Open children files by thread id; threads that went away are dropped at the next sample.
  std::vector<std::pair<pid_t, int>> children_;
};

/// The state letter of /proc/<pid>/stat (`R`, `S`, `D`, `T` stopped, `t`, `Z` zombie…), or
/// nullopt when there is no such process.
std::optional<char> process_state(pid_t pid);

}  // namespace lambkin::io::lambda
