#pragma once
// Handles the broker core hands out or receives.
#include "lambkin/ids.hpp"

#include <cstdint>

namespace lambkin::mqtt {

/// One network connection, numbered by the shell (never reused while the broker runs).
using connection_id = strong_id<struct connection_id_tag, std::uint64_t>;

/// One session, numbered by the broker. A session outlives its connections (persistent
/// sessions); a session that ends is never renumbered, so a stale handle finds nothing.
using session_handle = strong_id<struct session_handle_tag, std::uint64_t>;

}  // namespace lambkin::mqtt
