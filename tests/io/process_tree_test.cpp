#include "emulator/io/lambda/process_tree.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <optional>
#include <thread>

#include <sched.h>

#include <sys/wait.h>
#include <unistd.h>

using namespace lambkin::io::lambda;

namespace {

bool has(const std::vector<pid_t>& v, pid_t p) { return std::find(v.begin(), v.end(), p) != v.end(); }

// root (a group leader) with a child, and an orphaned grandchild that stays in root's group:
//   root ─ child          orphan (its parent, root's second child, has exited)
struct family {
  pid_t root = -1, child = -1, orphan = -1;

  family() {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    root = ::fork();
    REQUIRE(root >= 0);
    if (root == 0) {
      ::setpgid(0, 0);
      const pid_t c = ::fork();
      if (c == 0) ::pause(), ::_exit(0);
      const pid_t middle = ::fork();
      if (middle == 0) {
        const pid_t o = ::fork();
        if (o == 0) ::pause(), ::_exit(0);
        const std::array<pid_t, 2> ids{c, o};
        [[maybe_unused]] const auto n = ::write(fds[1], ids.data(), sizeof ids);
        ::_exit(0);
      }
      ::waitpid(middle, nullptr, 0);
      [[maybe_unused]] const auto n = ::write(fds[1], "x", 1);
      ::pause();
      ::_exit(0);
    }
    ::close(fds[1]);
    std::array<pid_t, 2> ids{};
    REQUIRE(::read(fds[0], ids.data(), sizeof ids) == static_cast<ssize_t>(sizeof ids));
    char done = 0;
    REQUIRE(::read(fds[0], &done, 1) == 1);  // the middle process is reaped: orphan is orphaned
    ::close(fds[0]);
    child = ids[0];
    orphan = ids[1];
  }
  ~family() {
    ::kill(-root, SIGKILL);
    ::waitpid(root, nullptr, 0);
  }
};

}  // namespace

TEST_CASE("process_tree finds descendants by children files, and orphaned group members by scanning") {
  family f;
  if (::access("/proc/thread-self/children", R_OK) == 0) {  // CONFIG_PROC_CHILDREN
    const auto by_children = process_tree(f.root, f.root, tree_source::children_files);
    CHECK(by_children.front() == f.root);
    CHECK(has(by_children, f.child));
    CHECK_FALSE(has(by_children, f.orphan));
  }

  const auto by_scan = process_tree(f.root, f.root, tree_source::proc_scan);
  CHECK(by_scan.front() == f.root);
  CHECK(has(by_scan, f.child));
  CHECK(has(by_scan, f.orphan));
  CHECK(by_scan.size() == 3);
}

TEST_CASE("resident memory and state of processes") {
  family f;
  CHECK(resident_bytes(f.root) > 0);
  const auto all = tree_resident_bytes(f.root, f.root, tree_source::proc_scan);
  CHECK(all >= resident_bytes(f.root) + resident_bytes(f.child));
  const auto root_state = process_state(f.root);  // about to pause, or pausing
  CHECK((root_state == 'S' || root_state == 'R'));
  CHECK(process_state(::getpid()) == 'R');

  ::kill(f.child, SIGKILL);
  // The child is root's, not ours, so it stays a zombie (root never waits): poll until it is one.
  for (int i = 0; i < 1000000 && process_state(f.child) != 'Z'; ++i) ::sched_yield();
  CHECK(process_state(f.child) == 'Z');
  CHECK(resident_bytes(f.child) == 0);
}

TEST_CASE("gone processes have no tree, memory or state") {
  const pid_t p = ::fork();
  REQUIRE(p >= 0);
  if (p == 0) ::_exit(0);
  ::waitpid(p, nullptr, 0);
  CHECK(process_tree(p, p).empty());
  CHECK(resident_bytes(p) == 0);
  CHECK_FALSE(process_state(p).has_value());
}

TEST_CASE("tree_sampler reads what tree_resident_bytes reads, sample after sample, and 0 once the root is gone") {
  std::optional<family> f;
  f.emplace();
  tree_sampler sampler(f->root);
  CHECK(sampler.root() == f->root);
  // Once both sleep in pause() their memory does not change between the reads.
  const auto sleeping = [](pid_t p) { return process_state(p) == 'S'; };
  for (int i = 0; i < 1000000 && !(sleeping(f->root) && sleeping(f->child)); ++i) ::sched_yield();
  REQUIRE((sleeping(f->root) && sleeping(f->child)));
  const auto expected = tree_resident_bytes(f->root, f->root, tree_source::children_files);
  CHECK(expected >= resident_bytes(f->root) + resident_bytes(f->child));
  CHECK(sampler.resident_bytes() == expected);
  CHECK(sampler.resident_bytes() == expected);  // the kept files are read again from the start

  ::kill(f->child, SIGKILL);
  for (int i = 0; i < 1000000 && process_state(f->child) != 'Z'; ++i) ::sched_yield();
  REQUIRE(process_state(f->child) == 'Z');
  CHECK(sampler.resident_bytes() == resident_bytes(f->root));
  CHECK(sampler.resident_bytes() < expected);

  const pid_t root = f->root;
  f.reset();  // kills and reaps root
  CHECK_FALSE(process_state(root).has_value());
  CHECK(sampler.resident_bytes() == 0);
}

TEST_CASE("tree_sampler: in a root with two threads, a child started by the second thread counts") {
  // A single-threaded root is sampled without listing its task directory; with more threads each
  // thread's children file is read, and this child is only in the second thread's.
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t root = ::fork();
  REQUIRE(root >= 0);
  if (root == 0) {
    std::thread second([&] {
      const pid_t c = ::fork();
      if (c == 0) ::pause(), ::_exit(0);
      const std::array<pid_t, 2> ids{c, ::gettid()};
      [[maybe_unused]] const auto n = ::write(fds[1], ids.data(), sizeof ids);
      ::pause();
    });
    ::pause();
    ::_exit(0);
  }
  ::close(fds[1]);
  std::array<pid_t, 2> ids{};
  REQUIRE(::read(fds[0], ids.data(), sizeof ids) == static_cast<ssize_t>(sizeof ids));
  ::close(fds[0]);
  const pid_t child = ids[0], second = ids[1];
  const auto sleeping = [](pid_t p) { return process_state(p) == 'S'; };
  for (int i = 0; i < 1000000 && !(sleeping(root) && sleeping(second) && sleeping(child)); ++i) ::sched_yield();
  REQUIRE((sleeping(root) && sleeping(second) && sleeping(child)));

  tree_sampler sampler(root);
  CHECK(has(process_tree(root, root, tree_source::children_files), child));
  const auto expected = tree_resident_bytes(root, root, tree_source::children_files);
  CHECK(expected >= resident_bytes(root) + resident_bytes(child));
  CHECK(sampler.resident_bytes() == expected);
  CHECK(sampler.resident_bytes() == expected);

  ::kill(child, SIGKILL);
  ::kill(root, SIGKILL);
  ::waitpid(root, nullptr, 0);
}
