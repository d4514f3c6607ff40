// handoff_count: how many times each thread of each process sleeps, wakes another and makes a
// system call per warm invoke, for lambkin and for the relay floor (invoke_bench's diagnostic
// row: the data path of a warm invoke with a real cpp-echo runtime, nothing else). Unlike
// latency, these counts hardly depend on how busy the machine is, so they can be compared across
// runs on a shared machine.
//
// For every thread of the subject's processes (lambkin, or this process's relay thread, and every
// descendant process: the runtime) it reads /proc/<pid>/task/<tid>/status (voluntary and
// involuntary context switches) before and after N sequential invokes on one keep-alive
// connection, and counts with perf_event_open (tracepoints raw_syscalls:sys_enter and
// sched:sched_waking, per thread; root or perf_event_paranoid <= -1 needed, else "n/a") the system
// calls each thread makes and the wake-ups it causes. A voluntary switch is a thread going to
// sleep (epoll_wait, read, a stop signal…): each one is a wake-up some other thread or the timer
// interrupt has to pay, and on this VM a wake-up that lands on the other, idle vCPU is a
// hypervisor round trip. Involuntary switches are preemptions: those depend on load.
//
//   handoff_count [N=2000]   LAMBKIN_BENCH_BINARY: another lambkin binary; LAMBKIN_FREEZE_GRACE_US
//                            is passed on to lambkin.
#include "bench/http_client.hpp"
#include "bench/lambkin_process.hpp"
#include "bench/relay_floor.hpp"
#include "bench/bench_stats.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

namespace {

using namespace lambkin::bench;
namespace fs = std::filesystem;

const std::string invoke_target = "/2015-03-31/functions/Echo0/invocations";

struct counts {
  std::string name;  // process comm / thread comm
  long long voluntary = 0, involuntary = 0;
  long long syscalls = -1, wakes = -1;  // -1: not counted (no perf_event_open)
};
using snapshot = std::map<std::pair<long, long>, counts>;  // (pid, tid) →

// LAMBKIN_BENCH_BINARY: another lambkin binary (an older build, for a before/after pair) instead
// of the one built with this benchmark.
std::string lambkin_exe() {
  const char* other = std::getenv("LAMBKIN_BENCH_BINARY");
  return other && *other ? other : LAMBKIN_EXE;
}

std::string first_line(const fs::path& p) {
  std::ifstream in(p);
  std::string s;
  std::getline(in, s);
  return s;
}

long long field(const std::string& text, const std::string& key) {
  const auto at = text.find(key);
  if (at == std::string::npos) return 0;
  return std::atoll(text.c_str() + at + key.size());
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `pid`'s threads (all but `skip_tid`) and, recursively, its child processes'.
void take(long pid, long skip_tid, snapshot& out) {
  const fs::path proc = "/proc/" + std::to_string(pid);
  const std::string process_name = first_line(proc / "comm");
  std::error_code ec;
  for (const auto& task : fs::directory_iterator(proc / "task", ec)) {
    const long tid = std::atol(task.path().filename().c_str());
    std::istringstream children(read_all(task.path() / "children"));
    for (long child = 0; children >> child;) take(child, 0, out);
    if (tid == skip_tid) continue;
    const auto status = read_all(task.path() / "status");
    counts c;
    c.name = process_name + "[" + std::to_string(pid) + "]/" + first_line(task.path() / "comm") + "[" +
             std::to_string(tid) + "]";
    c.voluntary = field(status, "voluntary_ctxt_switches:");
    c.involuntary = field(status, "nonvoluntary_ctxt_switches:");
    out[{pid, tid}] = c;
  }
}

counts client_counts() {
  const auto status = read_all("/proc/self/task/" + std::to_string(::gettid()) + "/status");
  return {"client (this process's main thread)", field(status, "voluntary_ctxt_switches:"),
          field(status, "nonvoluntary_ctxt_switches:")};
}

// A counting perf event for one tracepoint on one thread; -1 when it cannot be opened.
int open_tracepoint(long tid, const char* event) {
  long long id = -1;
  for (const char* root : {"/sys/kernel/tracing/events/", "/sys/kernel/debug/tracing/events/"}) {
    const auto text = first_line(std::string(root) + event + "/id");
    if (!text.empty()) {
      id = std::atoll(text.c_str());
      break;
    }
  }
  if (id < 0) return -1;
  perf_event_attr attr{};
  attr.type = PERF_TYPE_TRACEPOINT;
  attr.size = sizeof attr;
  attr.config = static_cast<unsigned long long>(id);
  return static_cast<int>(::syscall(SYS_perf_event_open, &attr, static_cast<pid_t>(tid), -1, -1, 0));
}

long long read_counter(int fd) {
  long long value = -1;
  if (fd < 0 || ::read(fd, &value, sizeof value) != static_cast<ssize_t>(sizeof value)) value = -1;
  if (fd >= 0) ::close(fd);
  return value;
}

// Per-thread counters of system calls and of the wake-ups a thread causes, from now on.
struct thread_counters {
  std::map<long, std::pair<int, int>> fds;  // tid → (syscalls, wakings)
  void open(const snapshot& threads, long client_tid) {
    for (const auto& [key, c] : threads) fds[key.second] = {open_tracepoint(key.second, "raw_syscalls/sys_enter"),
                                                          open_tracepoint(key.second, "sched/sched_waking")};
    fds[client_tid] = {open_tracepoint(client_tid, "raw_syscalls/sys_enter"),
                       open_tracepoint(client_tid, "sched/sched_waking")};
  }
  // Fills in what was counted (the "before" side stays 0).
  void close_into(snapshot& after, counts& client_after, long client_tid) {
    for (auto& [tid, f] : fds) {
      const long long calls = read_counter(f.first), wakes = read_counter(f.second);
      counts* c = tid == client_tid ? &client_after : nullptr;
      for (auto& [key, a] : after)
        if (key.second == tid) c = &a;
      if (c) c->syscalls = calls, c->wakes = wakes;
    }
  }
};

void print_row(const counts& before, const counts& after, int n) {
  const auto per = [n](long long a, long long b) { return static_cast<double>(b - a) / n; };
  const auto counted = [n](long long v) {
    char text[32];
    if (v < 0) return std::string("n/a");
    std::snprintf(text, sizeof text, "%.2f", static_cast<double>(v) / n);
    return std::string(text);
  };
  std::printf("  %-58s %9.2f %9.2f %9s %9s\n", after.name.c_str(), per(before.voluntary, after.voluntary),
              per(before.involuntary, after.involuntary), counted(after.syscalls).c_str(), counted(after.wakes).c_str());
}

// N sequential invokes through `client`; prints every thread of `root` (but `skip_tid`) and its
// descendants that did anything, their total, and the client's.
template <class Invoke>
void measure(const std::string& title, long root, long skip_tid, int n, Invoke invoke) {
  snapshot before, after;
  take(root, skip_tid, before);
  thread_counters counters;
  counters.open(before, ::gettid());
  const auto client_before = client_counts();
  for (int i = 0; i < n; ++i)
    if (!invoke()) throw std::runtime_error(title + ": an invoke failed");
  auto client_after = client_counts();
  take(root, skip_tid, after);
  counters.close_into(after, client_after, ::gettid());
  std::printf("\n%s, %d sequential warm invokes, per invoke:\n", title.c_str(), n);
  std::printf("  %-58s %9s %9s %9s %9s\n", "process[pid]/thread[tid]", "sleeps", "preempt", "syscalls", "wakes");
  counts total_before{"total (server side)"}, total_after{"total (server side)"};
  total_after.syscalls = total_after.wakes = 0;
  for (const auto& [key, a] : after) {
    const auto it = before.find(key);
    const counts b = it == before.end() ? counts{a.name} : it->second;
    if (a.voluntary == b.voluntary && a.involuntary == b.involuntary && a.syscalls <= 0 && a.wakes <= 0) continue;
    print_row(b, a, n);
    total_before.voluntary += b.voluntary, total_after.voluntary += a.voluntary;
    total_before.involuntary += b.involuntary, total_after.involuntary += a.involuntary;
    if (a.syscalls >= 0 && total_after.syscalls >= 0) total_after.syscalls += a.syscalls; else total_after.syscalls = -1;
    if (a.wakes >= 0 && total_after.wakes >= 0) total_after.wakes += a.wakes; else total_after.wakes = -1;
  }
  print_row(total_before, total_after, n);
  print_row(client_before, client_after, n);
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 2000;
  try {
    std::printf("handoff_count: %s, load average at start %s\n", lambkin_exe().c_str(), load_average().c_str());
    const std::string bootstrap = std::string(CPP_ECHO_DIR) + "/bootstrap";
    for (const bool freeze : {false, true}) {
      relay_floor relay(bootstrap, freeze);
      http_client client(relay.port());
      const auto invoke = [&] { return client.post("/relay", "{}") == 200; };
      for (int i = 0; i < 200; ++i) invoke();
      measure(freeze ? "relay floor + freeze/thaw at every invoke" : "relay floor (real runtime, no freeze)",
              ::getpid(), ::gettid(), n, invoke);
    }
    for (const std::string level : {"warn", "info"}) {
      lambkin_process lk(lambkin_exe(), echo_template(1, CPP_ECHO_DIR), level);
      http_client client(lk.aws_port());
      const auto invoke = [&] { return client.post(invoke_target, "{}") == 200; };
      for (int i = 0; i < 200; ++i) invoke();
      measure("lambkin --log-level " + level, lk.pid(), 0, n, invoke);
      lk.stop();
    }
    std::printf("\nsleeps: voluntary context switches (each one a wake-up); preempt: involuntary ones (load);\n"
                "syscalls: system calls made; wakes: wake-ups this thread caused (sched_waking), both per thread\n"
                "from perf_event_open, counted for the threads that existed before the first invoke\n");
    std::printf("load average at end %s\n", load_average().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "handoff_count: %s\n", e.what());
    return 1;
  }
  return 0;
}
