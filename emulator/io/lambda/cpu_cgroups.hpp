#pragma once
// `lambkin run --cpu-scaling`: CPU in proportion to MemorySize, as Lambda allocates it (1,769 MB
// = one vCPU), through one cgroup per execution environment with a CFS bandwidth limit:
//   quota = period × MemorySize / 1769   (period 100 ms; 128 MB → 7.2 ms per 100 ms)
// so that "give the function more memory" shortens a CPU-bound cold start as it does on AWS.
//
// Where the limit lives, first found wins:
//   - cgroup v2 with the `cpu` controller available to lambkin's own cgroup: a child cgroup
//     `lambkin-<pid>` with `+cpu` in its subtree, one `env-<id>` per environment (`cpu.max`);
//   - cgroup v1's `cpu` hierarchy: `lambkin-<pid>/env-<id>` under lambkin's own cgroup there
//     (`cpu.cfs_period_us`, `cpu.cfs_quota_us`).
// Both need write access to that part of /sys/fs/cgroup (root, or a delegated subtree). When
// neither works, `open` says why in one line and the caller runs without CPU scaling.
//
// Processes join their environment's cgroup in the child before exec (`launch_request::
// cgroup_dir`), so everything a runtime starts stays under the limit. `remove` deletes an
// environment's cgroup once its processes are gone; the destructor deletes `lambkin-<pid>`.
//
// Thread safety: not thread-safe; lambkin uses it from its io thread.
#include "lambkin/ids.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

namespace lambkin::io::lambda {

/// CFS period and the quota Lambda's ratio gives `memory_mb` (at least the kernel's 1 ms).
inline constexpr long cpu_period_us = 100000;
long cpu_quota_us(int memory_mb) noexcept;

class cpu_cgroups {
 public:
  enum class version { v1, v2 };

  /// Finds and prepares a cgroup hierarchy with the cpu controller (reads /proc/self/mountinfo
  /// and /proc/self/cgroup); null with `why_not` set when there is none lambkin may write.
  static std::unique_ptr<cpu_cgroups> open(std::string& why_not);
  /// The same under explicit paths (tests): `parent` is an existing cgroup directory lambkin may
  /// create children in.
  static std::unique_ptr<cpu_cgroups> open_at(version v, const std::filesystem::path& parent, std::string& why_not);
  ~cpu_cgroups();
  cpu_cgroups(const cpu_cgroups&) = delete;
  cpu_cgroups& operator=(const cpu_cgroups&) = delete;

  /// Creates (or reuses) the environment's cgroup with the quota for `memory_mb`; returns its
  /// directory, for `launch_request::cgroup_dir`.
  std::filesystem::path prepare(environment_id env, int memory_mb, std::error_code& ec);
  /// Removes the environment's cgroup (it must be empty: its processes reaped).
  void remove(environment_id env);

  version kind() const noexcept { return version_; }
  /// `lambkin-<pid>`: every environment's cgroup is below it.
  const std::filesystem::path& root() const noexcept { return root_; }

 private:
  cpu_cgroups(version v, std::filesystem::path root) : version_(v), root_(std::move(root)) {}
  version version_;
  std::filesystem::path root_;
};

}  // namespace lambkin::io::lambda
