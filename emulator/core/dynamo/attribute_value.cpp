#include "emulator/core/dynamo/attribute_value.hpp"

#include <algorithm>
#include <array>

namespace lambkin::dynamo {
namespace {

constexpr std::array<std::string_view, 10> names{"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};

bool same_elements(std::vector<std::string> a, std::vector<std::string> b) {
  if (a.size() != b.size()) return false;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

}  // namespace

std::string_view type_name(value_type t) noexcept { return names[static_cast<std::size_t>(t)]; }

std::optional<value_type> type_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<value_type>(i);
  return std::nullopt;
}

bool operator==(const attribute_value& a, const attribute_value& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case value_type::S:
    case value_type::N:
    case value_type::B: return a.text == b.text;
    case value_type::BOOL: return a.boolean == b.boolean;
    case value_type::NUL: return true;
    case value_type::M: return a.map == b.map;
    case value_type::L: return a.list == b.list;
    case value_type::SS:
    case value_type::NS:
    case value_type::BS: return same_elements(a.set, b.set);
  }
  return false;
}

std::size_t value_size(const attribute_value& v) {
  switch (v.type) {
    case value_type::S:
    case value_type::B: return v.text.size();
    case value_type::N: return (v.text.size() + 1) / 2 + 1;
    case value_type::BOOL:
    case value_type::NUL: return 1;
    case value_type::M: {
      std::size_t n = 3;
      for (const auto& [k, e] : v.map) n += k.size() + value_size(e) + 1;
      return n;
    }
    case value_type::L: {
      std::size_t n = 3;
      for (const auto& e : v.list) n += value_size(e) + 1;
      return n;
    }
    case value_type::NS: {
      std::size_t n = 0;
      for (const auto& e : v.set) n += (e.size() + 1) / 2 + 1;
      return n;
    }
    case value_type::SS:
    case value_type::BS: {
      std::size_t n = 0;
      for (const auto& e : v.set) n += e.size();
      return n;
    }
  }
  return 0;
}

std::size_t item_size(const item& i) {
  std::size_t n = 0;
  for (const auto& [k, v] : i) n += k.size() + value_size(v);
  return n;
}

value_type set_of(value_type scalar) noexcept {
  return scalar == value_type::S ? value_type::SS : scalar == value_type::N ? value_type::NS : value_type::BS;
}

value_type element_of(value_type set) noexcept {
  return set == value_type::SS ? value_type::S : set == value_type::NS ? value_type::N : value_type::B;
}

}  // namespace lambkin::dynamo
