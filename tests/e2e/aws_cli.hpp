#pragma once
// Test support: Debian's AWS CLI v2 (`/usr/bin/aws`) run against a lambkin AWS endpoint, with
// dummy credentials and no user configuration.
#include "support/child_process.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace lambkin::test {

inline const std::string aws_cli_path = "/usr/bin/aws";

struct cli_result {
  int code;
  std::string out, err;
};

/// `aws <args> --endpoint-url http://127.0.0.1:<port>`; waits up to a minute. No retries
/// (AWS_MAX_ATTEMPTS=1): a throttle is the answer, not something to wait out.
inline cli_result aws_cli(unsigned short port, std::vector<std::string> args) {
  std::vector<std::string> argv{aws_cli_path};
  for (auto& a : args) argv.push_back(std::move(a));
  argv.push_back("--endpoint-url");
  argv.push_back("http://127.0.0.1:" + std::to_string(port));
  child_process p(std::move(argv), {"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
                                    "AWS_DEFAULT_REGION=us-east-1", "AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null",
                                    "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_MAX_ATTEMPTS=1",
                                    "AWS_RETRY_MODE=standard"});
  const auto code = p.wait(std::chrono::seconds(60));
  return {code.value_or(-1), p.out(), p.err()};
}

}  // namespace lambkin::test
