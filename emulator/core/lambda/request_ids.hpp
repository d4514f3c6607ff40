#pragma once
// The random identifiers Lambda hands out: request ids, X-Ray trace ids and log stream names.
//
// All of them draw from a `splitmix64` the caller owns, so a fixed seed gives the same ids on
// every run and platform (tests, `lambkin simulate`, reproducible timelines); the live emulator
// seeds it from std::random_device. Times are inputs (epoch milliseconds), never read here.
#include "emulator/core/lambda/random.hpp"
#include "lambkin/clock.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace lambkin::lambda {

/// A request id: a random (version 4, RFC 9562 variant) UUID in lower-case hex,
/// e.g. `8476a536-e9f4-41e8-9739-2dfe598c3fcd`. Uses two draws.
std::string make_request_id(splitmix64& rng);

/// An X-Ray trace header as Lambda passes it in `Lambda-Runtime-Trace-Id`:
/// `Root=1-<8 hex: epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=0`. Uses three draws.
std::string make_trace_id(splitmix64& rng, epoch_ms now);

/// `AWS_LAMBDA_LOG_STREAM_NAME` of a new environment: `YYYY/MM/DD/[<version>]<32 hex>` with the
/// UTC date of `now`, e.g. `2023/12/27/[$LATEST]0123456789abcdef0123456789abcdef`. Two draws.
std::string make_log_stream_name(splitmix64& rng, epoch_ms now, std::string_view version);

/// The three makers bound to one owned generator.
class request_id_generator {
 public:
  explicit request_id_generator(std::uint64_t seed) noexcept : rng_(seed) {}

  std::string request_id() { return make_request_id(rng_); }
  std::string trace_id(epoch_ms now) { return make_trace_id(rng_, now); }
  std::string log_stream_name(epoch_ms now, std::string_view version) {
    return make_log_stream_name(rng_, now, version);
  }

 private:
  splitmix64 rng_;
};

}  // namespace lambkin::lambda
