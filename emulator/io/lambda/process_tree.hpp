#pragma once
// Reading processes from /proc: a function's process tree and its resident memory.
//
// Thread safety: free functions without shared state (they only read /proc).
#include <cstdint>
#include <optional>
#include <vector>

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

/// The state letter of /proc/<pid>/stat (`R`, `S`, `D`, `T` stopped, `t`, `Z` zombie…), or
/// nullopt when there is no such process.
std::optional<char> process_state(pid_t pid);

}  // namespace lambkin::io::lambda
