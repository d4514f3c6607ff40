#pragma once
// A function's code directory seen as Lambda sees a deployment package: what belongs to it, its
// digest (`CodeSha256`, `CodeSize`), and immutable copies for published versions.
//
// What does not belong to the package (and so is neither hashed, copied nor watched for hot
// reload) is tool and editor churn, matched on one path component:
//   - directories `.git`, `.hg`, `.svn`, `__pycache__`, `.pytest_cache`, `.mypy_cache`, `.idea`,
//     `.vscode`, `.aws-sam`, `.lambkin` (lambkin's own data directory beside a template);
//   - files `*.pyc`, `*.swp`, `*.swx`, `*.swo`, `*~`, `.#*`, `4913` (vim's probe), `.DS_Store`.
// `node_modules` belongs to the package, but the watcher only watches its top level (see
// code_watcher.hpp).
//
// Thread safety: free functions without shared state; they block on the file system.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace lambkin::io::lambda {

/// True when a path component (a file or directory name) is churn, not code.
bool is_ignored_name(std::string_view name) noexcept;
/// True when some component of `relative` (relative to the code directory) is ignored.
bool is_ignored_path(const std::filesystem::path& relative) noexcept;

/// `CodeSha256` and `CodeSize` of a code directory.
struct code_digest {
  /// Base64 of a SHA-256 over every file that belongs to the package, in sorted path order
  /// (relative path, NUL, contents). Lambda hashes the zip instead, so the values differ from
  /// AWS's for the same code; they change exactly when the code does.
  std::string sha256;
  /// Bytes of those files.
  std::uint64_t size = 0;
  bool operator==(const code_digest&) const = default;
};

/// Digests `dir`; unreadable files are skipped (the error of the first one is returned in `ec`
/// along with the digest of the rest).
code_digest digest_code(const std::filesystem::path& dir, std::error_code& ec);

/// Copies what belongs to the package from `from` into `to` (created; must not exist yet):
/// directories, regular files with their permissions, symbolic links as links.
std::error_code snapshot_code(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace lambkin::io::lambda
