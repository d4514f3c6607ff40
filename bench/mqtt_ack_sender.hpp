#pragma once
// The load generator's second thread: it writes the subscribers' PUBACKs, so that the thread that
// reads deliveries (and stamps their latency) does not spend most of its time in `send`. On
// loopback a send also runs the receiving side's TCP processing; with 1,000 QoS 1 subscribers the
// reader spent ~60 % of its time acknowledging and became slower than either broker, so the
// fan-out latency it measured was its own pace, alike for both brokers (bench/README.md).
//
// A client hands over whole wire bytes (a WebSocket client frames them first) for its descriptor;
// the sender writes them in the order given, per descriptor and overall. `drain` waits until all
// are written: before a client writes anything itself (DISCONNECT) or closes.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace lambkin::bench {

class ack_sender {
 public:
  ack_sender();
  ~ack_sender();
  ack_sender(const ack_sender&) = delete;
  ack_sender& operator=(const ack_sender&) = delete;

  void submit(int fd, std::vector<std::uint8_t> bytes);
  /// Returns once everything submitted so far is written, failed, or given up (a descriptor that
  /// stays unwritable for 5 s).
  void drain();

 private:
  void run();

  std::mutex m_;
  std::condition_variable work_, idle_;
  std::deque<std::pair<int, std::vector<std::uint8_t>>> queue_;
  bool busy_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace lambkin::bench
