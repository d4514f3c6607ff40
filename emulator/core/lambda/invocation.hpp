#pragma once
// What a function pool is asked to run, as cheap numeric handles.
//
// The core never sees request ids (UUID strings), payload bytes or callers: the shell keeps them,
// keyed by `invocation_id`, so the hot path of the pool moves only a few integers around.
#include "lambkin/clock.hpp"
#include "lambkin/ids.hpp"

#include <cstdint>

namespace lambkin::lambda {

/// One invocation request (sync) or one event (async) across all of its attempts. Chosen by the
/// shell, unique within a pool; the shell maps it to the AWS request id, the payload, the caller.
/// It is also the payload reference of an async event (the durable queue's key).
using invocation_id = strong_id<struct invocation_id_tag, std::uint64_t>;

/// One version of a function's code + configuration (a `$LATEST` generation, a published number).
/// Opaque to the pool: environments of different versions are never shared. The shell resolves
/// aliases and qualifiers to a version before invoking.
using version_id = strong_id<struct version_id_tag, std::uint32_t>;

/// `RequestResponse` (the caller waits; throttles are answered at once) or `Event` (queued).
enum class invocation_type : std::uint8_t { sync, async };

/// What `function_pool::on_invoke` receives.
struct invocation {
  invocation_id id;
  version_id version;
  invocation_type type = invocation_type::sync;
};

/// How the runtime finished an invocation it was given (`on_invocation_done`).
enum class invocation_result : std::uint8_t {
  /// POST /runtime/invocation/{id}/response.
  success,
  /// POST /runtime/invocation/{id}/error (or a response the shell rejected, e.g. over 6 MB):
  /// the caller gets the body unchanged, the environment stays warm.
  function_error,
};

}  // namespace lambkin::lambda
