// Lambda's limits that depend on what the machine allows (issue 4 item 9), with real processes:
// /tmp limited to EphemeralStorage, and `--cpu-scaling`. Each test first reads from lambkin's log
// which way this machine enforces the limit, then asserts that way's behaviour.
// (The 250 MB package limit is a template error: tests/config/template_loader_test.cpp.)
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>

using lambkin::test::child_process;
using lambkin::test::lambkin_exe;
using lambkin::test::lambkin_instance;
using lambkin::test::temp_dir;

namespace {

// A Python function that reports its /tmp and cgroup, and tries to reserve `event.mb` MiB in /tmp
// (posix_fallocate: on a tmpfs over its size it fails at once with ENOSPC, allocating nothing).
constexpr const char* sandbox_py = R"(import errno, os

def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None

def handler(event, context):
    tmp = os.environ["TMPDIR"]
    st = os.statvfs(tmp)
    seen = os.path.exists(os.path.join(tmp, "marker"))
    with open(os.path.join(tmp, "marker"), "w") as f:
        f.write("from the function")
    big = os.path.join(tmp, "big")
    fd = os.open(big, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        os.posix_fallocate(fd, 0, event.get("mb", 1) << 20)
        reserved = "ok"
    except OSError as e:
        reserved = errno.errorcode[e.errno]
    finally:
        os.close(fd)
    if not event.get("keep"):
        os.unlink(big)
    cpu = None
    for line in (read("/proc/self/cgroup") or "").splitlines():
        _, controllers, path = line.split(":", 2)
        if "cpu" in controllers.split(","):
            base = "/sys/fs/cgroup/" + controllers + path
            cpu = {"path": path, "quota": read(base + "/cpu.cfs_quota_us"), "period": read(base + "/cpu.cfs_period_us"),
                   "stat": read(base + "/cpu.stat")}
        elif controllers == "" and cpu is None and read("/sys/fs/cgroup" + path + "/cpu.max"):
            cpu = {"path": path, "max": read("/sys/fs/cgroup" + path + "/cpu.max"),
                   "stat": read("/sys/fs/cgroup" + path + "/cpu.stat")}
    return {"tmp": tmp, "tmp_bytes": st.f_blocks * st.f_frsize, "reserved": reserved, "cpu": cpu, "seen": seen}
)";

std::filesystem::path write_function(const temp_dir& dir) {
  const auto code = dir.path() / "sandbox";
  std::filesystem::create_directories(code);
  std::ofstream(code / "app.py") << sandbox_py;
  return code;
}

std::string template_with(const std::filesystem::path& code) {
  return lambkin::test::template_for({
      {"Small", "python3.12", "app.handler", code.string(), "      MemorySize: 128\n      Timeout: 30\n"},
      {"Large", "python3.12", "app.handler", code.string(),
       "      MemorySize: 1769\n      Timeout: 30\n      EphemeralStorage:\n        Size: 1024\n"},
  });
}

boost::json::object invoke(lambkin_instance& lk, const std::string& name, const std::string& event) {
  auto r = lk.invoke(name, event);
  INFO(r.body());
  REQUIRE(r.result_int() == 200);
  REQUIRE(r[std::string("X-Amz-Function-Error")].empty());
  return boost::json::parse(r.body()).as_object();
}

}  // namespace

TEST_CASE("/tmp holds EphemeralStorage: a private tmpfs of that size where the machine allows it") {
  temp_dir dir;
  lambkin_instance lk(template_with(write_function(dir)));
  const bool tmpfs = lk.log().find("/tmp: a private tmpfs of EphemeralStorage's size per environment") != std::string::npos;
  INFO(lk.log());
  REQUIRE((tmpfs || lk.log().find("/tmp: cannot give environments their own size-limited tmpfs") != std::string::npos));
  if (!tmpfs) {
    MESSAGE("this machine takes the measuring path; see the next test");
    return;
  }
  auto small = invoke(lk, "Small", R"({"mb": 600})");
  CHECK(small.at("tmp_bytes").as_int64() == 512LL << 20);
  CHECK(small.at("reserved") == "ENOSPC");  // 600 MB do not fit in 512
  CHECK(small.at("seen") == false);
  auto large = invoke(lk, "Large", R"({"mb": 1})");
  CHECK(large.at("tmp_bytes").as_int64() == 1024LL << 20);
  CHECK(large.at("reserved") == "ok");
  // Every environment's tmpfs is mounted at the same path (as every Lambda function has /tmp),
  // and none sees another's files there.
  CHECK(large.at("tmp") == small.at("tmp"));
  CHECK(large.at("seen") == false);
  // The tmpfs is the environment's own: lambkin's view of the same directory stays empty.
  const std::filesystem::path tmp(std::string(small.at("tmp").as_string()));
  CHECK(std::filesystem::is_directory(tmp));
  CHECK_FALSE(std::filesystem::exists(tmp / "marker"));
  // A warm invoke finds what the last one left in its /tmp.
  const auto again = invoke(lk, "Small", R"({"mb": 1})");
  CHECK(again.at("tmp") == small.at("tmp"));
  CHECK(again.at("seen") == true);
  CHECK(lk.stop() == 0);
}

TEST_CASE("without a private tmpfs, /tmp over EphemeralStorage is measured after the invoke and warned about") {
  temp_dir dir;
  const auto tmpl = dir.path() / "template.yaml";
  std::ofstream(tmpl) << template_with(write_function(dir));
  const auto event = dir.path() / "event.json";
  std::ofstream(event) << R"({"mb": 513, "keep": true})";
  child_process p({lambkin_exe(), "invoke", tmpl.string(), "Small", "--event", event.string()}, {"LAMBKIN_PRIVATE_TMPFS=0"});
  const auto code = p.wait(std::chrono::seconds(60));
  INFO(p.err());
  REQUIRE(code == 0);
  CHECK(p.err().find("/tmp: cannot give environments their own size-limited tmpfs (LAMBKIN_PRIVATE_TMPFS=0)") !=
        std::string::npos);
  CHECK(p.out().find(R"("reserved": "ok")") != std::string::npos);
  CHECK(p.err().find("Small: /tmp (") != std::string::npos);
  CHECK(p.err().find("MB, more than its EphemeralStorage of 512 MB") != std::string::npos);
}

TEST_CASE("--cpu-scaling puts each environment in a cgroup with CPU in proportion to MemorySize, or says why not") {
  temp_dir dir;
  lambkin_instance lk(template_with(write_function(dir)), {"--cpu-scaling"});
  INFO(lk.log());
  const bool scaled = lk.log().find("--cpu-scaling: 1 vCPU per 1769 MB of MemorySize, through cgroup") != std::string::npos;
  const bool warned = lk.log().find("--cpu-scaling: no effect, every environment gets all the CPU: ") != std::string::npos;
  REQUIRE(scaled != warned);
  auto small = invoke(lk, "Small", "{}");
  auto large = invoke(lk, "Large", "{}");
  if (!scaled) {
    MESSAGE("no writable cgroup with the cpu controller here");
    return;
  }
  REQUIRE(small.at("cpu").is_object());
  REQUIRE(large.at("cpu").is_object());
  const auto& s = small.at("cpu").as_object();
  const auto& l = large.at("cpu").as_object();
  CHECK(std::string(s.at("path").as_string()).find("/lambkin-") != std::string::npos);
  CHECK(s.at("path") != l.at("path"));
  if (s.contains("quota")) {  // cgroup v1
    CHECK(s.at("quota") == "7235");    // 100 ms × 128 / 1769
    CHECK(l.at("quota") == "100000");  // one vCPU
    CHECK(s.at("period") == "100000");
  } else {
    CHECK(s.at("max") == "7235 100000");
    CHECK(l.at("max") == "100000 100000");
  }
  // Python's own start-up needs more than 7 ms of CPU: the small environment has been throttled.
  const std::string stat(s.at("stat").as_string());
  const auto at = stat.find("nr_throttled ");
  REQUIRE(at != std::string::npos);
  CHECK(std::stoll(stat.substr(at + 13)) > 0);
  CHECK(lk.stop() == 0);
}
