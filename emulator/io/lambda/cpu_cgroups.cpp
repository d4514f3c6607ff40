#include "emulator/io/lambda/cpu_cgroups.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include <unistd.h>

namespace lambkin::io::lambda {
namespace fs = std::filesystem;
namespace {

constexpr int megabytes_per_vcpu = 1769;

std::vector<std::string> lines_of(const fs::path& file) {
  std::vector<std::string> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep)) out.push_back(part);
  return out;
}

// Writes `text` to an existing kernel file; the kernel's answer is in the error.
std::error_code write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file);
  if (!out) return {errno ? errno : EACCES, std::system_category()};
  out << text;
  out.flush();
  if (!out) return {errno ? errno : EIO, std::system_category()};
  return {};
}

struct mount_point {
  fs::path dir;
  std::string fstype;
  std::vector<std::string> super_options;
};

// The cgroup mounts of /proc/self/mountinfo: "… <mount point> <options> … - <fstype> <source> <super options>".
std::vector<mount_point> cgroup_mounts() {
  std::vector<mount_point> out;
  for (const auto& line : lines_of("/proc/self/mountinfo")) {
    const auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    const auto before = split(line.substr(0, dash), ' ');
    const auto after = split(line.substr(dash + 3), ' ');
    if (before.size() < 5 || after.size() < 3) continue;
    if (after[0] != "cgroup" && after[0] != "cgroup2") continue;
    out.push_back({before[4], after[0], split(after[2], ',')});
  }
  return out;
}

// lambkin's own cgroup path in hierarchy `controller` (v1) or the unified one (`controller` empty).
std::string own_cgroup(const std::string& controller) {
  for (const auto& line : lines_of("/proc/self/cgroup")) {
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const auto controllers = split(line.substr(first + 1, second - first - 1), ',');
    const bool match = controller.empty() ? line.substr(0, first) == "0" && controllers.empty()
                                          : std::find(controllers.begin(), controllers.end(), controller) != controllers.end();
    if (match) return line.substr(second + 1);
  }
  return "/";
}

bool has_word(const fs::path& file, const std::string& word) {
  for (const auto& line : lines_of(file))
    for (const auto& w : split(line, ' '))
      if (w == word) return true;
  return false;
}

}  // namespace

long cpu_quota_us(int memory_mb) noexcept {
  const long quota = cpu_period_us * static_cast<long>(memory_mb) / megabytes_per_vcpu;
  return std::max(quota, 1000L);
}

std::unique_ptr<cpu_cgroups> cpu_cgroups::open(std::string& why_not) {
  std::vector<std::string> reasons;
  const auto mounts = cgroup_mounts();
  for (const auto& m : mounts) {
    if (m.fstype != "cgroup2") continue;
    const fs::path parent = m.dir / fs::path(own_cgroup("")).relative_path();
    if (!has_word(parent / "cgroup.controllers", "cpu")) {
      reasons.push_back("cgroup v2 at " + m.dir.string() + " has no cpu controller for " + parent.string());
      continue;
    }
    std::string why;
    if (auto c = open_at(version::v2, parent, why)) return c;
    reasons.push_back(why);
  }
  for (const auto& m : mounts) {
    if (m.fstype != "cgroup" ||
        std::find(m.super_options.begin(), m.super_options.end(), "cpu") == m.super_options.end())
      continue;
    std::string why;
    if (auto c = open_at(version::v1, m.dir / fs::path(own_cgroup("cpu")).relative_path(), why)) return c;
    reasons.push_back(why);
  }
  if (reasons.empty()) reasons.push_back("no cgroup hierarchy with the cpu controller is mounted");
  why_not.clear();
  for (const auto& r : reasons) why_not += (why_not.empty() ? "" : "; ") + r;
  return nullptr;
}

std::unique_ptr<cpu_cgroups> cpu_cgroups::open_at(version v, const fs::path& parent, std::string& why_not) {
  const fs::path root = parent / ("lambkin-" + std::to_string(::getpid()));
  std::error_code ec;
  fs::create_directory(root, ec);
  if (ec) {
    why_not = "cannot create " + root.string() + ": " + ec.message();
    return nullptr;
  }
  if (v == version::v2) {
    // Children of `root` get cpu.max only when the controller is enabled on the way down; the
    // parent refuses (EBUSY) while it holds processes itself, unless it is the root cgroup.
    for (const auto& dir : {parent, root}) {
      if (auto wec = write_text(dir / "cgroup.subtree_control", "+cpu")) {
        why_not = "cannot enable the cpu controller in " + dir.string() + ": " + wec.message();
        fs::remove(root, ec);
        return nullptr;
      }
    }
  }
  return std::unique_ptr<cpu_cgroups>(new cpu_cgroups(v, root));
}

cpu_cgroups::~cpu_cgroups() {
  // Environments' cgroups should be gone already; rmdir (not remove_all: cgroup files cannot be
  // unlinked) whatever is left, then the root.
  std::error_code ec;
  for (fs::directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory()) ::rmdir(it->path().c_str());
  ::rmdir(root_.c_str());
}

fs::path cpu_cgroups::prepare(environment_id env, int memory_mb, std::error_code& ec) {
  const fs::path dir = root_ / ("env-" + std::to_string(env.value()));
  ec.clear();
  fs::create_directory(dir, ec);
  if (ec) return {};
  const long quota = cpu_quota_us(memory_mb);
  if (version_ == version::v2) {
    ec = write_text(dir / "cpu.max", std::to_string(quota) + " " + std::to_string(cpu_period_us));
  } else {
    ec = write_text(dir / "cpu.cfs_period_us", std::to_string(cpu_period_us));
    if (!ec) ec = write_text(dir / "cpu.cfs_quota_us", std::to_string(quota));
  }
  return ec ? fs::path{} : dir;
}

void cpu_cgroups::remove(environment_id env) {
  ::rmdir((root_ / ("env-" + std::to_string(env.value()))).c_str());
}

}  // namespace lambkin::io::lambda
