// libFuzzer target for the Lambda Invoke API (emulator/io/http/invoke_api.cpp): handle_invoke, the
// endpoint's handler, against a lambda_service holding one function (version 1 and alias `live`)
// whose environments never start. The input is parsed as HTTP/1.1 requests (http_input.hpp); each
// whose path is an Invoke path goes to the handler with the invocation type it asked for, except
// that RequestResponse and Event become DryRun: every check (method, name, qualifier, type,
// payload size, JSON, client context) runs, no process is launched, and the answer is awaited on
// an io_context that only polls. Build: -DLAMBKIN_BUILD_FUZZ=ON with clang; run:
//   ./invoke_api_fuzz -max_total_time=60 -max_len=4096 fuzz/corpus/invoke_api
#include "emulator/config/template_loader.hpp"
#include "emulator/core/text/url.hpp"
#include "emulator/io/http/invoke_api.hpp"
#include "fuzz/http_input.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace {

namespace http = lambkin::io::http;
namespace lambda = lambkin::io::lambda;

const lambkin::config::template_config& template_with_one_function() {
  static const lambkin::config::template_config t = [] {
    const auto dir = std::filesystem::temp_directory_path() / "lambkin-invoke-api-fuzz";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "bootstrap") << "#!/bin/sh\nexit 1\n";
    const std::string yaml = R"(AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: echo
      CodeUri: )" + dir.string() + R"(
      Handler: bootstrap
      Runtime: provided.al2023
      AutoPublishAlias: live
)";
    auto loaded = lambkin::config::load_template_text(yaml, dir / "template.yaml");
    if (!loaded.config) std::abort();
    return std::move(*loaded.config);
  }();
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto requests = lambkin::fuzz::parse_requests(bytes, http::max_sync_payload + 1024, 4);
  if (requests.empty()) return 0;
  boost::asio::io_context ioc;
  lambda::lambda_service service(ioc.get_executor(), template_with_one_function(), lambda::host_settings{});
  if (service.start()) std::abort();
  for (auto& req : requests) {
    const auto [path, query] = lambkin::text::split_target(std::string_view(req.target().data(), req.target().size()));
    if (!http::invoke_function_segment(path)) continue;
    const auto type = req.find("X-Amz-Invocation-Type");
    if (type == req.end() || type->value() == "RequestResponse" || type->value() == "Event")
      req.set("X-Amz-Invocation-Type", "DryRun");
    bool done = false;
    boost::asio::co_spawn(ioc, http::handle_invoke(service, std::move(req)),
                          [&](std::exception_ptr e, http::response res) {
                            if (e || res.result_int() >= 500) std::abort();
                            done = true;
                          });
    // An io_context that ran out of work is stopped until restarted.
    for (int i = 0; i < 100 && !done; ++i) {
      ioc.restart();
      ioc.poll();
    }
    if (!done) std::abort();  // DryRun and every refusal answer without waiting
  }
  service.shutdown();
  ioc.restart();
  ioc.poll();
  return 0;
}
