#include "emulator/core/lambda/log_lines.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::lambda;

namespace {
constexpr std::string_view id = "8476a536-e9f4-41e8-9739-2dfe598c3fcd";
// 2020-11-10T05:46:57.874Z
constexpr epoch_ms wall = 1604987217874;

duration ms(double v) { return std::chrono::duration_cast<duration>(std::chrono::duration<double, std::milli>(v)); }

report_fields report(duration elapsed, std::uint32_t memory_mb = 128, std::uint32_t used_mb = 0,
                     std::optional<duration> init = std::nullopt) {
  report_fields r;
  r.request_id = id;
  r.elapsed = elapsed;
  r.memory_size_mb = memory_mb;
  r.max_memory_used_mb = used_mb;
  r.init_duration = init;
  return r;
}
}  // namespace

TEST_CASE("durations print with two decimals, rounded half up, billing rounds up") {
  CHECK(format_duration_ms(microseconds(201'670)) == "201.67");
  CHECK(format_duration_ms(nanoseconds(201'665'000)) == "201.67");
  CHECK(format_duration_ms(nanoseconds(201'664'999)) == "201.66");
  CHECK(format_duration_ms(seconds(3)) == "3000.00");
  CHECK(format_duration_ms(nanoseconds(0)) == "0.00");
  CHECK(format_duration_ms(nanoseconds(-5)) == "0.00");

  report_fields r = report(microseconds(201'670));
  CHECK(billed_duration_ms(r) == 202);
  r.elapsed = milliseconds(3);
  CHECK(billed_duration_ms(r) == 3);
  r.elapsed = nanoseconds(3'000'001);
  CHECK(billed_duration_ms(r) == 4);
  // Since Aug 2025 init is billed too: Init 1293.83 + Duration 1049.63 → Billed 2344 (reference §3.1).
  r = report(microseconds(1'049'630), 128, 0, microseconds(1'293'830));
  CHECK(billed_duration_ms(r) == 2344);
  r.bill_init = false;
  CHECK(billed_duration_ms(r) == 1050);
}

TEST_CASE("INIT_START names lambkin's runtime version") {
  const auto v = lambkin_runtime_version("nodejs20.x", "us-east-1");
  CHECK(v.id == "nodejs:20.lambkin.v1");
  CHECK(v.arn == "arn:aws:lambda:us-east-1::runtime:lambkin-nodejs-20-v1");
  CHECK(init_start_line(v) ==
        "INIT_START Runtime Version: nodejs:20.lambkin.v1\tRuntime Version ARN: "
        "arn:aws:lambda:us-east-1::runtime:lambkin-nodejs-20-v1");

  CHECK(lambkin_runtime_version("python3.12", "eu-west-1", 4).id == "python:3.12.lambkin.v4");
  CHECK(lambkin_runtime_version("python3.12", "eu-west-1", 4).arn ==
        "arn:aws:lambda:eu-west-1::runtime:lambkin-python-3.12-v4");
  CHECK(lambkin_runtime_version("provided.al2023", "us-east-1").id == "provided:al2023.lambkin.v1");
  CHECK(lambkin_runtime_version("provided", "us-east-1").id == "provided:lambkin.v1");
  CHECK(lambkin_runtime_version("provided", "us-east-1").arn == "arn:aws:lambda:us-east-1::runtime:lambkin-provided-v1");
}

TEST_CASE("START and END") {
  CHECK(start_line(id, "$LATEST") == "START RequestId: 8476a536-e9f4-41e8-9739-2dfe598c3fcd Version: $LATEST");
  CHECK(start_line(id, "3") == "START RequestId: 8476a536-e9f4-41e8-9739-2dfe598c3fcd Version: 3");
  CHECK(end_line(id) == "END RequestId: 8476a536-e9f4-41e8-9739-2dfe598c3fcd");
}

TEST_CASE("REPORT: warm, cold, and platform failures") {
  const report_fields warm = report(microseconds(201'670), 2048, 81);
  CHECK(report_line(warm) ==
        "REPORT RequestId: 8476a536-e9f4-41e8-9739-2dfe598c3fcd\tDuration: 201.67 ms\tBilled Duration: 202 ms\t"
        "Memory Size: 2048 MB\tMax Memory Used: 81 MB\t");

  report_fields cold = warm;
  cold.init_duration = microseconds(480'250);
  CHECK(report_line(cold) ==
        "REPORT RequestId: 8476a536-e9f4-41e8-9739-2dfe598c3fcd\tDuration: 201.67 ms\tBilled Duration: 682 ms\t"
        "Memory Size: 2048 MB\tMax Memory Used: 81 MB\tInit Duration: 480.25 ms\t");

  report_fields timeout = report(ms(3003.52), 128, 86);
  timeout.status = report_status::timeout;
  timeout.bill_init = false;
  CHECK(report_line(timeout) ==
        "REPORT RequestId: 8476a536-e9f4-41e8-9739-2dfe598c3fcd\tDuration: 3003.52 ms\tBilled Duration: 3004 ms\t"
        "Memory Size: 128 MB\tMax Memory Used: 86 MB\tStatus: timeout\t");

  report_fields crash = report(milliseconds(12), 128, 128);
  crash.status = report_status::error;
  crash.error_type = "Runtime.OutOfMemory";
  CHECK(report_line(crash) ==
        "REPORT RequestId: 8476a536-e9f4-41e8-9739-2dfe598c3fcd\tDuration: 12.00 ms\tBilled Duration: 12 ms\t"
        "Memory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory\t");

  // A handler error the runtime reported itself adds nothing to the text line.
  report_fields handled = warm;
  handled.status = report_status::function_error;
  handled.error_type = "Error";
  CHECK(report_line(handled) == report_line(warm));
}

TEST_CASE("INIT_REPORT") {
  CHECK(init_report_line(ms(9999.76), init_phase::init, report_status::timeout) ==
        "INIT_REPORT Init Duration: 9999.76 ms\tPhase: init\tStatus: timeout");
  CHECK(init_report_line(ms(60026.37), init_phase::invoke, report_status::timeout) ==
        "INIT_REPORT Init Duration: 60026.37 ms\tPhase: invoke\tStatus: timeout");
  CHECK(init_report_line(ms(225.88), init_phase::init, report_status::error, "Runtime.ExitError") ==
        "INIT_REPORT Init Duration: 225.88 ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError");
  CHECK(init_report_line(ms(10), init_phase::init, report_status::success, "ignored") ==
        "INIT_REPORT Init Duration: 10.00 ms\tPhase: init\tStatus: success");
}

TEST_CASE("the timeout line") {
  CHECK(timeout_line(wall, id, milliseconds(3070)) ==
        "2020-11-10T05:46:57.874Z 8476a536-e9f4-41e8-9739-2dfe598c3fcd Task timed out after 3.07 seconds");
}

TEST_CASE("JSON platform records") {
  const auto v = lambkin_runtime_version("nodejs20.x", "us-east-1");
  CHECK(init_start_json(wall, v, "StoreTemperature", "$LATEST") ==
        R"({"time":"2020-11-10T05:46:57.874Z","type":"platform.initStart","record":{"initializationType":"on-demand",)"
        R"("phase":"init","runtimeVersion":"nodejs:20.lambkin.v1",)"
        R"("runtimeVersionArn":"arn:aws:lambda:us-east-1::runtime:lambkin-nodejs-20-v1",)"
        R"("functionName":"StoreTemperature","functionVersion":"$LATEST"}})");
  CHECK(init_start_json(wall, v, "f", "2", initialization_type::provisioned_concurrency).find(
            R"("initializationType":"provisioned-concurrency")") != std::string::npos);

  CHECK(start_json(wall, id, "$LATEST") ==
        R"({"time":"2020-11-10T05:46:57.874Z","type":"platform.start","record":)"
        R"({"requestId":"8476a536-e9f4-41e8-9739-2dfe598c3fcd","version":"$LATEST"}})");

  const report_fields cold = report(microseconds(201'670), 2048, 81, microseconds(480'200));
  CHECK(report_json(wall, cold) ==
        R"({"time":"2020-11-10T05:46:57.874Z","type":"platform.report","record":)"
        R"({"requestId":"8476a536-e9f4-41e8-9739-2dfe598c3fcd","metrics":{"durationMs":201.67,)"
        R"("billedDurationMs":682,"memorySizeMB":2048,"maxMemoryUsedMB":81,"initDurationMs":480.2},)"
        R"("status":"success"}})");

  report_fields failed = report(seconds(3), 128, 50);
  failed.status = report_status::function_error;
  failed.error_type = "Error";
  CHECK(report_json(wall, failed) ==
        R"({"time":"2020-11-10T05:46:57.874Z","type":"platform.report","record":)"
        R"({"requestId":"8476a536-e9f4-41e8-9739-2dfe598c3fcd","metrics":{"durationMs":3000,)"
        R"("billedDurationMs":3000,"memorySizeMB":128,"maxMemoryUsedMB":50},"status":"error","errorType":"Error"}})");

  CHECK(init_report_json(wall, ms(9999.76), init_phase::init, report_status::timeout) ==
        R"({"time":"2020-11-10T05:46:57.874Z","type":"platform.initReport","record":)"
        R"({"initializationType":"on-demand","phase":"init","status":"timeout","metrics":{"durationMs":9999.76}}})");
  CHECK(init_report_json(wall, ms(12.5), init_phase::init, report_status::error, "Runtime.Exit\"Error\"") ==
        R"({"time":"2020-11-10T05:46:57.874Z","type":"platform.initReport","record":)"
        R"({"initializationType":"on-demand","phase":"init","status":"error","errorType":"Runtime.Exit\"Error\"",)"
        R"("metrics":{"durationMs":12.5}}})");

  CHECK(timeout_json(wall, id, seconds(3)) ==
        R"({"timestamp":"2020-11-10T05:46:57.874Z","level":"ERROR",)"
        R"("requestId":"8476a536-e9f4-41e8-9739-2dfe598c3fcd","message":"Task timed out after 3.00 seconds"})");
}
