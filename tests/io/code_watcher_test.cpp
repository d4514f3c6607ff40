// Hot reload's watcher: inotify over a code directory, debounced, churn ignored, new directories
// followed. The io_context runs until the callback fires (bounded), never sleeping.
#include "emulator/io/lambda/code_watcher.hpp"

#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>

#include <fstream>

namespace fs = std::filesystem;
namespace net = boost::asio;
using namespace lambkin::io::lambda;
using namespace std::chrono_literals;

namespace {

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

struct fixture {
  lambkin::test::temp_dir dir;
  net::io_context ioc;
  std::vector<std::string> changes;
  std::unique_ptr<code_watcher> watcher;

  fs::path root() const { return dir.path() / "code"; }

  void start(watch_options options = {}) {
    fs::create_directories(root());
    options.quiet = 50ms;
    watcher = std::make_unique<code_watcher>(
        ioc.get_executor(), root(), [this](std::string path) { changes.push_back(std::move(path)); }, options);
    REQUIRE_FALSE(watcher->start());
  }

  /// Runs the io_context until `n` changes were reported (at most 10 s).
  bool run_until(std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (changes.size() < n && std::chrono::steady_clock::now() < deadline) ioc.run_one_for(100ms);
    return changes.size() >= n;
  }
};

}  // namespace

TEST_CASE("a burst of changes is reported once, after it went quiet, with its first path") {
  fixture f;
  write(f.root() / "index.js", "1");
  f.start();
  CHECK(f.watcher->watched() == 1);
  write(f.root() / "index.js", "2");
  write(f.root() / "other.js", "3");
  REQUIRE(f.run_until(1));
  CHECK(f.changes == std::vector<std::string>{"index.js"});
  write(f.root() / "other.js", "4");
  REQUIRE(f.run_until(2));
  CHECK(f.changes.back() == "other.js");
}

TEST_CASE("churn is ignored, directories created later are watched") {
  fixture f;
  f.start();
  write(f.root() / "__pycache__" / "app.cpython-311.pyc", "x");
  write(f.root() / ".git" / "HEAD", "x");
  write(f.root() / "index.js.swp", "x");
  fs::create_directory(f.root() / "lib");
  REQUIRE(f.run_until(1));
  CHECK(f.changes.front() == "lib");
  write(f.root() / "lib" / "util.js", "x");
  REQUIRE(f.run_until(2));
  CHECK(f.changes.back() == "lib/util.js");
}

TEST_CASE("node_modules is watched at its top level only, excluded paths are ignored") {
  fixture f;
  write(f.root() / "node_modules" / "pkg" / "index.js", "1");
  write(f.root() / "data" / "tmp" / "x", "1");
  watch_options options;
  options.exclude = {f.root() / "data"};
  f.start(options);
  CHECK(f.watcher->watched() == 2);  // the root and node_modules
  write(f.root() / "node_modules" / "pkg" / "index.js", "2");
  write(f.root() / "data" / "tmp" / "x", "2");
  write(f.root() / "data" / "y", "2");
  fs::create_directory(f.root() / "node_modules" / "newpkg");
  REQUIRE(f.run_until(1));
  CHECK(f.changes.front() == "node_modules/newpkg");
}

TEST_CASE("a missing directory is an error, not a watcher") {
  net::io_context ioc;
  code_watcher w(ioc.get_executor(), "/nonexistent/lambkin-code", [](std::string) {});
  CHECK(w.start());
}
