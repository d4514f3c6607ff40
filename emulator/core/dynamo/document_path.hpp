#pragma once
// Document paths of DynamoDB expressions (`a.b[2].c`): reading, setting and removing the value a
// path names inside an item.
#include "emulator/core/dynamo/attribute_value.hpp"
#include "emulator/core/dynamo/result.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lambkin::dynamo {

struct path_element {
  std::string name;        // a map key (the first element is always one)
  std::size_t index = 0;   // a list index when is_index
  bool is_index = false;
  bool operator==(const path_element&) const = default;
};

struct document_path {
  std::vector<path_element> elements;
  /// `a.b[2]` with placeholders already substituted, for messages.
  std::string text() const;
  bool operator==(const document_path&) const = default;
};

/// The value at `path`, or null when any step is missing or of the wrong type.
const attribute_value* find_path(const item& i, const document_path& path);

/// Sets the value at `path`. A missing parent is an error ("The document path provided in the
/// update expression is invalid for update"); an index past the end of a list appends.
std::optional<dynamo_error> set_path(item& i, const document_path& path, attribute_value v);

/// Removes the value at `path` (nothing if it is missing); list elements after it move up.
void remove_path(item& i, const document_path& path);

/// True when one path is a prefix of (or equal to) the other.
bool paths_overlap(const document_path& a, const document_path& b);

}  // namespace lambkin::dynamo
