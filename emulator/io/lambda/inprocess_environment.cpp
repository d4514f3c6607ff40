#include "emulator/io/lambda/inprocess_environment.hpp"

#include "emulator/io/busy_poll.hpp"
#include "emulator/io/lambda/handoff_signal.hpp"
#include "emulator/io/lambda/runtime_api_protocol.hpp"
#include "emulator/io/log.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <cstdlib>
#include <cxxabi.h>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <typeinfo>
#include <utility>

namespace lambkin {

std::chrono::milliseconds invocation_context::remaining_time() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::system_clock::now());
}

}  // namespace lambkin

namespace lambkin::io::lambda {

std::string exception_error_body(const std::exception& e, std::string* type) {
  std::string name;
  if (const auto* fe = dynamic_cast<const function_error*>(&e)) {
    name = fe->type();
  } else {
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status),
                                                     std::free);
    name = status == 0 && demangled ? demangled.get() : typeid(e).name();
  }
  boost::json::object o;
  o["errorMessage"] = e.what();
  o["errorType"] = name;
  o["stackTrace"] = boost::json::array();
  if (type) *type = std::move(name);
  return boost::json::serialize(o);
}

namespace {

const std::string unknown_exception_body =
    R"({"errorMessage":"Unknown exception","errorType":"Runtime.UnhandledException","stackTrace":[]})";

}  // namespace

/// One worker thread and what it shares with the io thread. Every field below `mutex` is guarded
/// by it; `thread` is touched by the io thread only.
struct inprocess_environment::worker {
  struct job {
    bool init = false;
    invocation_context context;
    std::string event;
  };

  net::any_io_executor executor;
  std::shared_ptr<const inprocess_function> function;
  std::shared_ptr<inprocess_events> events;
  aws_direct_handler aws;
  std::thread thread;

  std::mutex mutex;
  handoff_signal changed;
  std::optional<job> next;
  bool busy = false;
  bool retired = false;
  bool abandoned = false;
  bool ended = false;
  /// Answers of `call_aws`, by call number.
  std::uint64_t calls = 0;
  std::map<std::uint64_t, aws_response> answers;

  /// Held while the worker posts to the io thread; `abandon` closes it, so that nothing is posted
  /// after the io thread let the worker go (its io_context may be gone by then). Not `mutex`:
  /// posting takes the io_context's own lock and may wake the io thread, and the io thread takes
  /// `mutex` to hand over each event, so posting under `mutex` made it wait (issue 8's profile).
  std::mutex post_gate;
  bool gate_closed = false;  // guarded by post_gate

  /// Runs `f` on the io thread unless the worker was abandoned (checked there too: the io thread
  /// abandons a worker while its posts are queued). Call without `mutex` held.
  template <class F>
  void post_to_io(std::shared_ptr<worker> self, F f) {
    std::lock_guard gate(post_gate);
    if (gate_closed) return;
    net::post(executor, [self = std::move(self), f = std::move(f)]() mutable {
      if (!self->abandoned_on_io) f(*self->events);
    });
  }
  /// Set on the io thread only, read there only.
  bool abandoned_on_io = false;
  /// The io thread busy-polls while the worker holds an event (busy_poll.hpp): its `call_aws`
  /// and its answer then find the io thread awake. io thread only.
  bool polling_on_io = false;
  void start_polling_on_io() {
    if (!std::exchange(polling_on_io, true)) busy_poll::begin();
  }
  void stop_polling_on_io() {
    if (std::exchange(polling_on_io, false)) busy_poll::end();
  }

  void run(std::shared_ptr<worker> self) {
    for (;;) {
      job j;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return next || retired || abandoned; });
        if (!next || abandoned) break;
        j = std::move(*next);
        next.reset();
        busy = true;
      }
      if (j.init) {
        run_init(self);
      } else {
        run_invoke(self, std::move(j));
      }
    }
    {
      std::lock_guard lock(mutex);
      ended = true;
    }
    post_to_io(self, [](inprocess_events& ev) {
      if (ev.on_exit) ev.on_exit();
    });
  }

  void run_init(const std::shared_ptr<worker>& self) {
    std::optional<std::string> error_type, body;
    try {
      if (function->init) function->init();
    } catch (const std::exception& e) {
      std::string type;
      body = exception_error_body(e, &type);
      error_type = normalize_error_type(type);
    } catch (...) {
      body = unknown_exception_body;
      error_type = "Runtime.Unknown";
    }
    {
      std::lock_guard lock(mutex);
      busy = false;
    }
    if (body) {
      post_to_io(self, [t = std::move(*error_type), b = std::move(*body)](inprocess_events& ev) mutable {
        ev.on_init_error(std::move(t), std::move(b));
      });
    } else {
      post_to_io(self, [](inprocess_events& ev) { ev.on_ready(); });
    }
  }

  void run_invoke(const std::shared_ptr<worker>& self, job j) {
    std::weak_ptr<worker> weak = self;
    const auto request_id = j.context.request_id;
    j.context.log_ = [weak, request_id](const std::string& line) {
      auto w = weak.lock();
      if (!w) return;
      w->post_to_io(w, [request_id, line](inprocess_events& ev) { ev.on_log(request_id, line); });
    };
    if (aws) j.context.aws_ = [weak](aws_request r) { return call_aws(weak.lock(), std::move(r)); };
    std::string body;
    bool error = false;
    try {
      body = function->handler(j.event, j.context);
    } catch (const std::exception& e) {
      body = exception_error_body(e);
      error = true;
    } catch (...) {
      body = unknown_exception_body;
      error = true;
    }
    {
      std::lock_guard lock(mutex);
      busy = false;
    }
    // The wrapper holds `self` while this runs, so `w` is alive.
    post_to_io(self, [w = self.get(), id = request_id, b = std::move(body), error](inprocess_events& ev) mutable {
      w->stop_polling_on_io();
      ev.on_answer(std::move(id), std::move(b), error);
    });
  }

  /// On the worker thread: hands the request to the io thread and waits for the answer.
  static aws_response call_aws(std::shared_ptr<worker> w, aws_request request) {
    const aws_response gone{503, R"({"message":"the execution environment was stopped"})", {}};
    if (!w) return gone;
    std::uint64_t call = 0;
    {
      std::lock_guard lock(w->mutex);
      if (w->abandoned) return gone;
      call = ++w->calls;
    }
    {
      std::lock_guard gate(w->post_gate);
      if (w->gate_closed) return gone;
      net::co_spawn(
          w->executor,
          [w, call, request = std::move(request)]() mutable -> net::awaitable<void> {
            aws_response answer;
            try {
              answer = co_await w->aws(std::move(request));
            } catch (const std::exception& e) {
              answer = {500, std::string(R"({"message":"internal error"})"), {}};
              logger("lambda")->error("in-process AWS call failed: {}", e.what());
            }
            {
              std::lock_guard inner(w->mutex);
              w->answers.emplace(call, std::move(answer));
            }
            w->changed.notify();  // after the lock: the woken worker takes it at once
          },
          net::detached);
    }
    std::unique_lock lock(w->mutex);
    w->changed.wait(lock, [&] { return w->answers.contains(call) || w->abandoned; });
    auto it = w->answers.find(call);
    if (it == w->answers.end()) return gone;
    auto answer = std::move(it->second);
    w->answers.erase(it);
    return answer;
  }
};

inprocess_environment::inprocess_environment(net::any_io_executor executor,
                                             std::shared_ptr<const inprocess_function> function,
                                             inprocess_events events, aws_direct_handler aws)
    : executor_(std::move(executor)),
      function_(std::move(function)),
      events_(std::make_shared<inprocess_events>(std::move(events))),
      aws_(std::move(aws)) {}

namespace {

/// Abandons `w`: no more reports; an idle thread ends and is joined, a busy one detached.
template <class Worker>
void abandon(const std::shared_ptr<Worker>& w, const char* why) {
  if (!w) return;
  w->abandoned_on_io = true;
  w->stop_polling_on_io();
  {
    std::lock_guard gate(w->post_gate);
    w->gate_closed = true;
  }
  bool busy = false;
  {
    std::lock_guard lock(w->mutex);
    w->abandoned = true;
    busy = w->busy;
    w->changed.notify();
  }
  if (!w->thread.joinable()) return;
  if (busy) {
    logger("lambda")->warn("in-process environment {}: its handler is still running; left to finish on its own", why);
    w->thread.detach();
  } else {
    w->thread.join();
  }
}

}  // namespace

inprocess_environment::~inprocess_environment() { abandon(worker_, "stopped"); }

std::shared_ptr<inprocess_environment::worker> inprocess_environment::start_worker() {
  auto w = std::make_shared<worker>();
  w->executor = executor_;
  w->function = function_;
  w->events = events_;
  w->aws = aws_;
  w->thread = std::thread([w] { w->run(w); });
  return w;
}

void inprocess_environment::start_init() {
  if (worker_ && (busy() || !running())) {
    abandon(worker_, "replaced (init past its limit)");
    worker_.reset();
  }
  if (!worker_) worker_ = start_worker();
  std::lock_guard lock(worker_->mutex);
  worker_->next = worker::job{true, {}, {}};
  worker_->changed.notify();
}

void inprocess_environment::deliver(invocation_context context, std::string event) {
  if (!worker_) return;
  frozen = false;
  worker_->start_polling_on_io();
  {
    std::lock_guard lock(worker_->mutex);
    worker_->next = worker::job{false, std::move(context), std::move(event)};
  }
  worker_->changed.notify();  // after the lock: the woken worker takes it at once
}

void inprocess_environment::retire() {
  if (!worker_) return;
  std::lock_guard lock(worker_->mutex);
  worker_->retired = true;
  worker_->changed.notify();
}

bool inprocess_environment::running() const {
  if (!worker_) return false;
  std::lock_guard lock(worker_->mutex);
  return !worker_->ended;
}

bool inprocess_environment::busy() const {
  if (!worker_) return false;
  std::lock_guard lock(worker_->mutex);
  return worker_->busy || worker_->next.has_value();
}

}  // namespace lambkin::io::lambda
