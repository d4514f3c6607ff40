#pragma once
// The peer of node_bench: serverless-offline (npm `serverless@3` + `serverless-offline`, from
// bench/node after `npm ci` there) serving the same handler through its Lambda invoke endpoint.
#include "bench/child_process.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace lambkin::bench {

class serverless_offline {
 public:
  /// Runs `serverless offline start` in `project_dir` on free loopback ports and waits (up to
  /// 60 s) until its Lambda port accepts connections. Throws std::runtime_error with its log when
  /// it does not come up.
  explicit serverless_offline(const std::filesystem::path& project_dir);
  ~serverless_offline();
  serverless_offline(const serverless_offline&) = delete;
  serverless_offline& operator=(const serverless_offline&) = delete;

  unsigned short lambda_port() const { return lambda_port_; }
  int stop() { return process_->stop(); }

 private:
  std::filesystem::path log_;
  std::unique_ptr<child_process> process_;
  unsigned short lambda_port_ = 0;
};

}  // namespace lambkin::bench
