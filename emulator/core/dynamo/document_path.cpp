#include "emulator/core/dynamo/document_path.hpp"

#include <algorithm>

namespace lambkin::dynamo {
namespace {

dynamo_error invalid_path() { return validation_error("The document path provided in the update expression is invalid for update"); }

/// The container value that holds the last element of `path`, or null.
attribute_value* parent_of(item& i, const document_path& path) {
  if (path.elements.size() < 2) return nullptr;
  auto it = i.find(path.elements[0].name);
  if (it == i.end()) return nullptr;
  attribute_value* v = &it->second;
  for (std::size_t k = 1; k + 1 < path.elements.size(); ++k) {
    const auto& e = path.elements[k];
    if (e.is_index) {
      if (v->type != value_type::L || e.index >= v->list.size()) return nullptr;
      v = &v->list[e.index];
    } else {
      if (v->type != value_type::M) return nullptr;
      auto m = v->map.find(e.name);
      if (m == v->map.end()) return nullptr;
      v = &m->second;
    }
  }
  return v;
}

}  // namespace

std::string document_path::text() const {
  std::string s;
  for (const auto& e : elements) {
    if (e.is_index) {
      s += '[';  // appended piecewise: "[" + … + "]" trips GCC 12's -Wrestrict at -O3
      s += std::to_string(e.index);
      s += ']';
    } else {
      if (!s.empty()) s += ".";
      s += e.name;
    }
  }
  return s;
}

const attribute_value* find_path(const item& i, const document_path& path) {
  if (path.elements.empty()) return nullptr;
  auto it = i.find(path.elements[0].name);
  if (it == i.end()) return nullptr;
  const attribute_value* v = &it->second;
  for (std::size_t k = 1; k < path.elements.size(); ++k) {
    const auto& e = path.elements[k];
    if (e.is_index) {
      if (v->type != value_type::L || e.index >= v->list.size()) return nullptr;
      v = &v->list[e.index];
    } else {
      if (v->type != value_type::M) return nullptr;
      auto m = v->map.find(e.name);
      if (m == v->map.end()) return nullptr;
      v = &m->second;
    }
  }
  return v;
}

std::optional<dynamo_error> set_path(item& i, const document_path& path, attribute_value v) {
  if (path.elements.empty()) return invalid_path();
  if (path.elements.size() == 1) {
    i.insert_or_assign(path.elements[0].name, std::move(v));
    return std::nullopt;
  }
  auto* parent = parent_of(i, path);
  if (!parent) return invalid_path();
  const auto& last = path.elements.back();
  if (last.is_index) {
    if (parent->type != value_type::L) return invalid_path();
    if (last.index < parent->list.size()) parent->list[last.index] = std::move(v);
    else parent->list.push_back(std::move(v));
  } else {
    if (parent->type != value_type::M) return invalid_path();
    parent->map.insert_or_assign(last.name, std::move(v));
  }
  return std::nullopt;
}

void remove_path(item& i, const document_path& path) {
  if (path.elements.empty()) return;
  if (path.elements.size() == 1) {
    i.erase(path.elements[0].name);
    return;
  }
  auto* parent = parent_of(i, path);
  if (!parent) return;
  const auto& last = path.elements.back();
  if (last.is_index && parent->type == value_type::L && last.index < parent->list.size())
    parent->list.erase(parent->list.begin() + static_cast<std::ptrdiff_t>(last.index));
  else if (!last.is_index && parent->type == value_type::M)
    parent->map.erase(last.name);
}

bool paths_overlap(const document_path& a, const document_path& b) {
  const auto n = std::min(a.elements.size(), b.elements.size());
  return std::equal(a.elements.begin(), a.elements.begin() + static_cast<std::ptrdiff_t>(n), b.elements.begin());
}

}  // namespace lambkin::dynamo
