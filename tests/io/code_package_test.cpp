// A code directory as a deployment package: what belongs to it, its digest, published copies.
#include "emulator/io/lambda/code_package.hpp"

#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <fstream>

namespace fs = std::filesystem;
using namespace lambkin::io::lambda;

namespace {

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

code_digest digest(const fs::path& dir) {
  std::error_code ec;
  auto d = digest_code(dir, ec);
  CHECK_FALSE(ec);
  return d;
}

}  // namespace

TEST_CASE("tool and editor churn is not code") {
  for (const char* name : {".git", "__pycache__", ".lambkin", ".aws-sam", ".idea", ".vscode", "app.cpython-311.pyc",
                           ".index.js.swp", "index.js~", ".#index.js", "4913", ".DS_Store"})
    CHECK_MESSAGE(is_ignored_name(name), name);
  for (const char* name : {"index.js", "node_modules", "lib", "app.py", "bootstrap", ".env", "git"})
    CHECK_FALSE_MESSAGE(is_ignored_name(name), name);
  CHECK(is_ignored_path("lib/__pycache__/x.pyc"));
  CHECK(is_ignored_path(".git/HEAD"));
  CHECK_FALSE(is_ignored_path("lib/util.js"));
}

TEST_CASE("the digest changes exactly when the code does") {
  lambkin::test::temp_dir dir;
  write(dir.path() / "index.js", "exports.handler = 1;\n");
  write(dir.path() / "lib" / "util.js", "x");
  const auto first = digest(dir.path());
  CHECK(first.size == 22);
  CHECK(first.sha256.size() == 44);
  CHECK(digest(dir.path()) == first);

  write(dir.path() / "__pycache__" / "a.pyc", "churn");
  write(dir.path() / ".git" / "HEAD", "churn");
  CHECK(digest(dir.path()) == first);

  write(dir.path() / "lib" / "util.js", "y");
  const auto changed = digest(dir.path());
  CHECK(changed.sha256 != first.sha256);
  CHECK(changed.size == first.size);
  // A file moved to another name is a change too (names are hashed).
  fs::rename(dir.path() / "lib" / "util.js", dir.path() / "lib" / "other.js");
  CHECK(digest(dir.path()).sha256 != changed.sha256);
}

TEST_CASE("a published version's copy has the code, its modes and links, and no churn") {
  lambkin::test::temp_dir dir;
  const auto from = dir.path() / "code";
  write(from / "bootstrap", "#!/bin/sh\n");
  fs::permissions(from / "bootstrap", fs::perms(0755));
  write(from / "node_modules" / "pkg" / "index.js", "module.exports = 1;\n");
  fs::create_symlink("pkg/index.js", from / "node_modules" / "link.js");
  write(from / ".git" / "HEAD", "ref");
  const auto to = dir.path() / "versions" / "fn" / "1";
  REQUIRE_FALSE(snapshot_code(from, to));
  CHECK((fs::status(to / "bootstrap").permissions() & fs::perms::owner_exec) != fs::perms::none);
  CHECK(fs::exists(to / "node_modules" / "pkg" / "index.js"));
  CHECK(fs::is_symlink(to / "node_modules" / "link.js"));
  CHECK(fs::read_symlink(to / "node_modules" / "link.js") == "pkg/index.js");
  CHECK_FALSE(fs::exists(to / ".git"));
  CHECK(digest(to) == digest(from));
  // Editing the original leaves the copy alone.
  write(from / "bootstrap", "#!/bin/sh\necho changed\n");
  CHECK(digest(to) != digest(from));
  CHECK(snapshot_code(from, to) == std::errc::file_exists);
}
