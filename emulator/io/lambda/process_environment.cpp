#include "emulator/io/lambda/process_environment.hpp"

#include "emulator/io/lambda/cold_trace.hpp"
#include "emulator/io/lambda/line_splitter.hpp"
#include "emulator/io/lambda/process_tree.hpp"
#include "emulator/io/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lambkin::io::lambda {
namespace {
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
// What one exit drains synchronously at most: bounds the work if an escaped grandchild keeps
// writing into the pipe.
constexpr std::size_t drain_limit = 4 * 1024 * 1024;
// Functions may leave directories without write permission behind: give them back before
// a second attempt.
void remove_tmp_dir(const std::string& name, const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::remove_all(dir, ec) != static_cast<std::uintmax_t>(-1) && !ec) return;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code ignored;
    if (it->is_directory(ignored) && !it->is_symlink(ignored)) fs::permissions(it->path(), fs::perms::owner_all, ignored);
  }
  ec.clear();
  fs::permissions(dir, fs::perms::owner_all, ec);
  fs::remove_all(dir, ec);
  if (ec) logger("function")->warn("{}: cannot remove {}: {}", name, dir.string(), ec.message());
}

}  // namespace

struct process_environment::stream {
  stream(const net::any_io_executor& executor, int native, std::size_t max_line) : fd(executor, native), lines(max_line) {}
  net::posix::stream_descriptor fd;
  line_splitter lines;
  bool done = false;
};

std::string to_string(exit_status s) {
  if (!s.signaled) return "exit status " + std::to_string(s.value);
  const char* description = ::sigdescr_np(s.value);
  if (!description) return "signal " + std::to_string(s.value);
  std::string text = description;
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return "signal: " + text;
}

std::chrono::microseconds default_freeze_grace() {
  static const auto grace = [] {
    constexpr std::chrono::microseconds fallback{2000};
    const char* v = std::getenv("LAMBKIN_FREEZE_GRACE_US");
    if (!v || !*v) return fallback;
    long long us = 0;
    const auto [p, ec] = std::from_chars(v, v + std::strlen(v), us);
    if (ec != std::errc{} || *p != '\0' || us < 0) {
      logger("lambda")->warn("LAMBKIN_FREEZE_GRACE_US={}: not a number of microseconds; using {}", v, fallback.count());
      return fallback;
    }
    return std::chrono::microseconds(us);
  }();
  return grace;
}

std::filesystem::path private_tmp_dir(const std::filesystem::path& root, environment_id id) {
  return root / ("env-" + std::to_string(id.value()));
}

std::filesystem::path private_tmpfs_mount_point(const std::filesystem::path& root) { return root / "tmpfs"; }

process_environment::process_environment(net::any_io_executor executor, spawn_spec spec,
                                         process_callbacks callbacks)
    : executor_(std::move(executor)),
      spec_(std::move(spec)),
      callbacks_(std::move(callbacks)),
      pidfd_(executor_),
      memory_timer_(executor_),
      kill_timer_(executor_),
      freeze_timer_(executor_) {}

process_environment::~process_environment() {
  *alive_ = false;
  if (state_ == state::running) {
    // SIGKILL also ends stopped (frozen) processes; the leader is reaped right away so that
    // neither a zombie nor a live member of its group outlives the object.
    ::kill(-pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {}
  }
  if (tmp_created_) remove_tmp_dir(spec_.name, spec_.tmp_dir);
  // Empty once its processes are gone; cpu_cgroups sweeps what an escaped grandchild kept busy.
  if (!spec_.cgroup_dir.empty()) ::rmdir(spec_.cgroup_dir.c_str());
}

std::optional<spawn_error> process_environment::spawn() {
  if (state_ != state::idle) throw std::logic_error("process_environment::spawn: a process is still running");
  if (spec_.tmp_dir_shared) {
    // Only a tmpfs of its own makes a directory every environment shares private.
    if (spec_.tmp_dir.empty() || spec_.tmp_limit_mb <= 0 || !private_tmpfs_supported())
      return spawn_error{spawn_step::tmp_dir, std::make_error_code(std::errc::invalid_argument)};
    // Made once; afterwards mkdir only finds it (EEXIST), a path lookup.
    int made = ::mkdir(spec_.tmp_dir.c_str(), 0700);
    if (made != 0 && errno == ENOENT) {
      std::error_code ec;
      std::filesystem::create_directories(spec_.tmp_dir.parent_path(), ec);
      made = ::mkdir(spec_.tmp_dir.c_str(), 0700);
    }
    if (made == 0) {
      ::chmod(spec_.tmp_dir.c_str(), 0700);  // whatever the umask
    } else if (errno != EEXIST) {
      return spawn_error{spawn_step::tmp_dir, {errno, std::system_category()}};
    }
  } else if (!spec_.tmp_dir.empty() && !tmp_created_) {
    std::error_code ec;
    std::filesystem::create_directories(spec_.tmp_dir.parent_path(), ec);
    // mkdir fails on an existing directory: a private TMPDIR must start empty and be ours.
    if (::mkdir(spec_.tmp_dir.c_str(), 0700) != 0)
      return spawn_error{spawn_step::tmp_dir, {errno, std::system_category()}};
    tmp_created_ = true;
    ::chmod(spec_.tmp_dir.c_str(), 0700);  // whatever the umask
  }

  cold_trace("tmp_dir");
  launch_request request;
  request.executable = spec_.executable;
  request.args = spec_.args;
  request.working_dir = spec_.working_dir.string();
  request.environment = spec_.environment;
  request.max_open_files = spec_.max_open_files;
  request.cgroup_dir = spec_.cgroup_dir.string();
  tmpfs_ = spec_.tmp_limit_mb > 0 && (tmp_created_ || spec_.tmp_dir_shared) && private_tmpfs_supported();
  if (tmpfs_) {
    request.tmpfs_size_mb = static_cast<unsigned>(spec_.tmp_limit_mb);
    request.tmpfs_dir = spec_.tmp_dir.string();
  }
  cold_trace("launch");
  auto launched = launch_process(request);
  cold_trace("launched");
  if (launched.error) return launched.error;

  ++generation_;
  const auto& p = launched.process;
  pid_ = p.pid;
  state_ = state::running;
  frozen_ = false;
  freeze_pending_ = false;
  oom_ = false;
  status_ = {};
  peak_rss_ = 0;
  out_ = std::make_unique<stream>(executor_, p.out, spec_.max_line);
  err_ = std::make_unique<stream>(executor_, p.err, spec_.max_line);
  pidfd_.assign(p.pidfd);
  sampler_ = std::make_unique<tree_sampler>(pid_);
  logger("function")->debug("{}: runtime process {} started", spec_.name, pid_);

  net::co_spawn(executor_, watch_exit(generation_), net::detached);
  net::co_spawn(executor_, read_output(output_stream::out, generation_), net::detached);
  net::co_spawn(executor_, read_output(output_stream::err, generation_), net::detached);
  arm_memory_timer();
  cold_trace("watching");
  return std::nullopt;
}

void process_environment::signal_group(int sig) {
  // Only while the leader is unreaped: until then its pid, and so the group id, cannot be reused.
  if (state_ == state::running) ::kill(-pid_, sig);
}

void process_environment::freeze_after(std::chrono::microseconds grace) {
  if (state_ != state::running || frozen_ || freeze_pending_) return;
  if (grace <= std::chrono::microseconds::zero()) {
    freeze();
    return;
  }
  // /tmp is measured when the invoke ends, not when the grace does: lambkin may be gone by then
  // (`lambkin invoke` stops right after its one invoke).
  check_tmp_once();
  freeze_pending_ = true;
  freeze_timer_.expires_after(grace);
  freeze_timer_.async_wait([this, alive = alive_, generation = generation_](const boost::system::error_code& ec) {
    // A wait that completed just before a thaw still arrives: the flag drops it.
    if (ec || !*alive || generation != generation_ || !freeze_pending_) return;
    freeze_pending_ = false;
    stop_group();
  });
}

void process_environment::cancel_pending_freeze() {
  if (!freeze_pending_) return;
  freeze_pending_ = false;
  freeze_timer_.cancel();
}

void process_environment::freeze() {
  cancel_pending_freeze();
  if (state_ != state::running || frozen_) return;
  check_tmp_once();
  stop_group();
}

void process_environment::check_tmp_once() {
  if (state_ == state::running && !tmpfs_ && spec_.tmp_limit_mb > 0 && tmp_created_ && !tmp_warned_)
    check_tmp_usage();
}

void process_environment::stop_group() {
  if (state_ != state::running || frozen_) return;
  // The last moment this invoke's memory can be seen, unless it was just measured (the REPORT line
  // samples microseconds before a freeze without grace).
  if (std::chrono::steady_clock::now() - last_sample_ > std::chrono::milliseconds(1)) sample_memory();
  if (oom_) return;
  signal_group(SIGSTOP);
  frozen_ = true;
  memory_timer_.cancel();
}

void process_environment::thaw() {
  cancel_pending_freeze();
  if (state_ != state::running || !frozen_) return;
  signal_group(SIGCONT);
  frozen_ = false;
  arm_memory_timer();
}

void process_environment::terminate(std::chrono::milliseconds grace) {
  if (state_ != state::running) return;
  cancel_pending_freeze();
  signal_group(SIGTERM);
  if (frozen_) {
    signal_group(SIGCONT);  // a stopped process cannot handle its SIGTERM
    frozen_ = false;
  }
  kill_timer_.expires_after(grace);
  kill_timer_.async_wait([this, alive = alive_, generation = generation_](const boost::system::error_code& ec) {
    if (ec || !*alive || generation != generation_) return;
    signal_group(SIGKILL);
  });
}

void process_environment::kill() { signal_group(SIGKILL); }

void process_environment::sample_memory() {
  if (state_ != state::running) return;
  last_sample_ = std::chrono::steady_clock::now();
  const auto bytes = sampler_ ? sampler_->resident_bytes() : tree_resident_bytes(pid_, pid_);
  peak_rss_ = std::max(peak_rss_, bytes);
  const auto limit = static_cast<std::uint64_t>(spec_.memory_limit_mb) << 20;
  if (oom_ || limit == 0 || bytes <= limit) return;
  oom_ = true;
  signal_group(SIGKILL);
  logger("function")->debug("{}: runtime process {} over {} MB ({} bytes): killed", spec_.name, pid_,
                            spec_.memory_limit_mb, bytes);
  if (callbacks_.on_out_of_memory) callbacks_.on_out_of_memory();
}

std::uint64_t process_environment::tmp_usage_bytes() const {
  namespace fs = std::filesystem;
  std::uint64_t bytes = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(spec_.tmp_dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) == 0 && S_ISREG(st.st_mode)) bytes += static_cast<std::uint64_t>(st.st_blocks) * 512;
  }
  return bytes;
}

void process_environment::check_tmp_usage() {
  const auto used = tmp_usage_bytes();
  if (used <= static_cast<std::uint64_t>(spec_.tmp_limit_mb) << 20) return;
  tmp_warned_ = true;
  std::string why;
  private_tmpfs_supported(&why);
  logger("lambda")->warn("{}: /tmp ({}) uses {} MB, more than its EphemeralStorage of {} MB; Lambda would fail the "
                         "write with ENOSPC, lambkin cannot limit it on this machine ({})",
                         spec_.name, spec_.tmp_dir.string(), (used + (1U << 20) - 1) >> 20, spec_.tmp_limit_mb, why);
}

void process_environment::arm_memory_timer() {
  memory_timer_.expires_after(spec_.memory_interval);
  memory_timer_.async_wait([this, alive = alive_, generation = generation_](const boost::system::error_code& ec) {
    // A wait that completed just before a freeze still arrives: the state checks drop it.
    if (ec || !*alive || generation != generation_ || state_ != state::running || frozen_) return;
    sample_memory();
    if (state_ == state::running && !frozen_ && !oom_) arm_memory_timer();
  });
}

net::awaitable<void> process_environment::watch_exit(std::uint64_t generation) {
  auto alive = alive_;
  auto [ec] = co_await pidfd_.async_wait(net::posix::descriptor_base::wait_read, use_tuple);
  if (!*alive || generation != generation_ || ec == net::error::operation_aborted) co_return;
  if (ec) {
    // Cannot watch any more: end the process so that the blocking reap below returns.
    logger("function")->error("{}: waiting for process {} failed: {}", spec_.name, pid_, ec.message());
    signal_group(SIGKILL);
  }
  on_process_exited();
}

void process_environment::on_process_exited() {
  // Lambda resets the whole environment when the runtime exits: nothing of the group survives.
  signal_group(SIGKILL);
  int st = 0;
  pid_t r;
  while ((r = ::waitpid(pid_, &st, 0)) < 0 && errno == EINTR) {}
  if (r < 0) {
    logger("function")->warn("{}: process {} was reaped elsewhere ({})", spec_.name, pid_, std::strerror(errno));
    status_ = {false, -1};
  } else {
    status_ = WIFSIGNALED(st) ? exit_status{true, WTERMSIG(st)} : exit_status{false, WEXITSTATUS(st)};
  }
  logger("function")->debug("{}: runtime process {} ended: {}", spec_.name, pid_, to_string(status_));
  state_ = state::reaped;
  frozen_ = false;
  sampler_.reset();
  cancel_pending_freeze();
  memory_timer_.cancel();
  kill_timer_.cancel();
  // Readers still waiting wake up with operation_aborted and drain what is left in the pipe.
  boost::system::error_code ignored;
  if (!out_->done) out_->fd.cancel(ignored);
  if (!err_->done) err_->fd.cancel(ignored);
  finish_if_drained();
}

net::awaitable<void> process_environment::read_output(output_stream which, std::uint64_t generation) {
  auto alive = alive_;
  // Not zero-filled: its pages are touched only as output arrives (a cold start's path).
  constexpr std::size_t chunk = 64 * 1024;
  const auto buffer = std::make_unique_for_overwrite<char[]>(chunk);
  for (;;) {
    auto [ec, n] = co_await (which == output_stream::out ? out_ : err_)->fd.async_read_some(net::buffer(buffer.get(), chunk),
                                                                                           use_tuple);
    if (!*alive || generation != generation_) co_return;
    stream& s = which == output_stream::out ? *out_ : *err_;
    // Bytes read before a cancellation still count, and come before whatever `drain` reads.
    s.lines.feed({buffer.get(), n}, [&](std::string_view line) { deliver(which, line); });
    if (state_ == state::reaped) {
      drain(which);
      break;
    }
    if (ec) {  // end of file (the process closed it), or a read error
      s.lines.flush([&](std::string_view line) { deliver(which, line); });
      s.done = true;
      break;
    }
  }
  finish_if_drained();
}

void process_environment::drain(output_stream which) {
  stream& s = which == output_stream::out ? *out_ : *err_;
  const auto sink = [&](std::string_view line) { deliver(which, line); };
  std::array<char, 64 * 1024> buffer;
  for (std::size_t total = 0; total < drain_limit;) {
    const auto n = ::read(s.fd.native_handle(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF, or EAGAIN: a surviving writer outside the group; stop here
    s.lines.feed({buffer.data(), static_cast<std::size_t>(n)}, sink);
    total += static_cast<std::size_t>(n);
  }
  s.lines.flush(sink);
  s.done = true;
}

void process_environment::deliver(output_stream which, std::string_view line) {
  if (callbacks_.on_output) {
    callbacks_.on_output(which, line);
  } else {
    logger("function")->info("{} {}", spec_.name, line);
  }
}

void process_environment::finish_if_drained() {
  if (state_ != state::reaped || !out_->done || !err_->done) return;
  boost::system::error_code ignored;
  pidfd_.close(ignored);
  out_->fd.close(ignored);
  err_->fd.close(ignored);
  state_ = state::idle;
  if (callbacks_.on_exit) callbacks_.on_exit(status_);  // last: it may destroy *this
}

}  // namespace lambkin::io::lambda
