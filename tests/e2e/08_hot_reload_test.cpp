// Hot reload: `lambkin run` watches each function's code directory; a change makes a new $LATEST
// whose next invoke is cold and runs the new code. Every test edits a copy of a function.
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>

using lambkin::test::count_of;
using lambkin::test::lambkin_instance;
namespace fs = std::filesystem;

namespace {

const std::string data = std::string(LAMBKIN_TEST_DATA_DIR) + "/functions/";

std::string template_for(const std::string& runtime, const std::string& handler, const fs::path& code,
                         const std::string& extra = "") {
  return "Transform: AWS::Serverless-2016-10-31\nResources:\n  Env:\n    Type: AWS::Serverless::Function\n"
         "    Properties:\n      Runtime: " + runtime + "\n      Handler: " + handler + "\n      CodeUri: " +
         code.string() + "\n" + extra;
}

/// A private copy of a test function, to edit.
fs::path copy_of(const std::string& function, const lambkin::test::temp_dir& dir) {
  const auto code = dir.path() / function;
  fs::copy(data + function, code, fs::copy_options::recursive);
  return code;
}

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

const std::string reloaded_handler =
    "let served = 0;\nexports.handler = async () => ({ reloaded: true, served: ++served });\n";

boost::json::object json_of(const std::string& body) { return boost::json::parse(body).as_object(); }

}  // namespace

TEST_CASE("hot reload: a code change replaces the unpublished version, the next invoke runs the new code, cold") {
  lambkin::test::temp_dir dir;
  const auto code = copy_of("node-env", dir);
  lambkin_instance lk(template_for("nodejs20.x", "index.handler", code));
  CHECK(lk.log().find("hot reload: watching the code of 1 functions") != std::string::npos);
  auto before = json_of(lk.invoke("Env", "{}").body());
  CHECK(before.at("served") == 1);
  CHECK_FALSE(before.contains("reloaded"));

  write(code / "index.js", reloaded_handler);
  REQUIRE(lambkin::test::wait_for_stderr(lk.process(),
                                         "Env: code changed (index.js), new $LATEST; 1 idle environments retired",
                                         std::chrono::seconds(10)));
  auto after = json_of(lk.invoke("Env", "{}").body());
  CHECK(after.at("reloaded") == true);
  CHECK(after.at("served") == 1);
  CHECK(count_of(lk.log(), "INIT_START") == 2);
  CHECK(count_of(lk.log(), "Init Duration") == 2);
  CHECK(count_of(lk.log(), "code changed") == 1);  // one burst of writes, one reload
}

TEST_CASE("hot reload: tool churn is ignored, new subdirectories are watched") {
  lambkin::test::temp_dir dir;
  const auto code = copy_of("node-env", dir);
  lambkin_instance lk(template_for("nodejs20.x", "index.handler", code));
  // Churn first, then a real change in the same burst: the reload names the real change.
  write(code / "__pycache__" / "x.cpython-311.pyc", "bytecode");
  write(code / ".git" / "HEAD", "ref: refs/heads/main\n");
  write(code / ".index.js.swp", "swap");
  write(code / "lib" / "util.js", "exports.x = 1;\n");
  REQUIRE(lambkin::test::wait_for_stderr(lk.process(), "Env: code changed (lib", std::chrono::seconds(10)));
  CHECK(count_of(lk.log(), "code changed") == 1);

  // lib/ was created after lambkin started: it is watched now.
  write(code / "lib" / "util.js", "exports.x = 2;\n");
  REQUIRE(lambkin::test::wait_for_stderr(lk.process(), "Env: code changed (lib/util.js)", std::chrono::seconds(10)));
  CHECK(count_of(lk.log(), "code changed") == 2);
}

TEST_CASE("hot reload: a Python function writing __pycache__ into its code directory does not reload itself") {
  lambkin::test::temp_dir dir;
  const auto code = copy_of("python-basic", dir);
  fs::remove_all(code / "__pycache__");
  lambkin_instance lk(template_for("python3.11", "app.handler", code));
  CHECK(lk.invoke("Env", "{}").result_int() == 200);
  CHECK_FALSE(lambkin::test::wait_for_stderr(lk.process(), "code changed", std::chrono::seconds(1)));
  CHECK(lk.invoke("Env", "{}").result_int() == 200);
  CHECK(count_of(lk.log(), "INIT_START") == 1);
}

TEST_CASE("hot reload: --no-watch turns it off") {
  lambkin::test::temp_dir dir;
  const auto code = copy_of("node-env", dir);
  lambkin_instance lk(template_for("nodejs20.x", "index.handler", code), {"--no-watch"});
  CHECK(lk.log().find("hot reload") == std::string::npos);
  CHECK(json_of(lk.invoke("Env", "{}").body()).at("served") == 1);
  write(code / "index.js", reloaded_handler);
  CHECK_FALSE(lambkin::test::wait_for_stderr(lk.process(), "code changed", std::chrono::seconds(1)));
  auto after = json_of(lk.invoke("Env", "{}").body());
  CHECK(after.at("served") == 2);  // the same warm environment, still the old code
  CHECK(count_of(lk.log(), "INIT_START") == 1);
}

TEST_CASE("hot reload with AutoPublishAlias: a new version is published and the alias moves to it") {
  lambkin::test::temp_dir dir;
  const auto code = copy_of("node-env", dir);
  lambkin_instance lk(template_for("nodejs20.x", "index.handler", code, "      AutoPublishAlias: live\n"));
  auto first = lk.invoke("Env:live", "{}");
  CHECK(first["X-Amz-Executed-Version"] == "1");

  write(code / "index.js", reloaded_handler);
  REQUIRE(lambkin::test::wait_for_stderr(lk.process(),
                                         "Env: code changed (index.js), new $LATEST; 1 idle environments retired; "
                                         "version 2 published, alias live moved to it",
                                         std::chrono::seconds(10)));
  auto moved = lk.invoke("Env:live", "{}");
  CHECK(moved["X-Amz-Executed-Version"] == "2");
  CHECK(json_of(moved.body()).at("reloaded") == true);
  // Version 1 is immutable: it still runs the code it was published with.
  auto old = lk.invoke("Env:1", "{}");
  CHECK(old["X-Amz-Executed-Version"] == "1");
  CHECK_FALSE(json_of(old.body()).contains("reloaded"));
  CHECK(json_of(old.body()).at("version") == "1");
}
