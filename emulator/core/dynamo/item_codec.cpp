#include "emulator/core/dynamo/item_codec.hpp"

namespace lambkin::dynamo {
namespace {

void put_varint(std::string& out, std::size_t n) {
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7F) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
}

void put_bytes(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

void put_value(std::string& out, const attribute_value& v) {
  out.push_back(static_cast<char>(v.type));
  switch (v.type) {
    case value_type::S:
    case value_type::N:
    case value_type::B: put_bytes(out, v.text); break;
    case value_type::BOOL: out.push_back(v.boolean ? '\x01' : '\x00'); break;
    case value_type::NUL: break;
    case value_type::M:
      put_varint(out, v.map.size());
      for (const auto& [k, e] : v.map) {
        put_bytes(out, k);
        put_value(out, e);
      }
      break;
    case value_type::L:
      put_varint(out, v.list.size());
      for (const auto& e : v.list) put_value(out, e);
      break;
    case value_type::SS:
    case value_type::NS:
    case value_type::BS:
      put_varint(out, v.set.size());
      for (const auto& e : v.set) put_bytes(out, e);
      break;
  }
}

struct reader {
  std::string_view in;
  std::size_t pos = 0;
  bool ok = true;

  std::size_t varint() {
    std::size_t n = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= in.size()) break;
      const auto b = static_cast<unsigned char>(in[pos++]);
      n |= static_cast<std::size_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return n;
    }
    ok = false;
    return 0;
  }
  std::string bytes() {
    const auto n = varint();
    if (!ok || n > in.size() - pos) {
      ok = false;
      return {};
    }
    std::string s(in.substr(pos, n));
    pos += n;
    return s;
  }
  attribute_value value(int depth) {
    attribute_value v;
    if (pos >= in.size() || depth > 64 || static_cast<unsigned char>(in[pos]) > static_cast<unsigned char>(value_type::BS)) {
      ok = false;
      return v;
    }
    v.type = static_cast<value_type>(in[pos++]);
    switch (v.type) {
      case value_type::S:
      case value_type::N:
      case value_type::B: v.text = bytes(); break;
      case value_type::BOOL:
        if (pos >= in.size()) ok = false;
        else v.boolean = in[pos++] != 0;
        break;
      case value_type::NUL: break;
      case value_type::M:
        for (auto n = varint(); ok && n > 0; --n) {
          auto k = bytes();
          v.map.emplace(std::move(k), value(depth + 1));
        }
        break;
      case value_type::L:
        for (auto n = varint(); ok && n > 0; --n) v.list.push_back(value(depth + 1));
        break;
      case value_type::SS:
      case value_type::NS:
      case value_type::BS:
        for (auto n = varint(); ok && n > 0; --n) v.set.push_back(bytes());
        break;
    }
    return v;
  }
};

}  // namespace

std::string encode_item(const item& i) {
  std::string out;
  put_varint(out, i.size());
  for (const auto& [k, v] : i) {
    put_bytes(out, k);
    put_value(out, v);
  }
  return out;
}

std::optional<item> decode_item(std::string_view bytes) {
  reader r{bytes};
  item i;
  for (auto n = r.varint(); r.ok && n > 0; --n) {
    auto k = r.bytes();
    i.emplace(std::move(k), r.value(0));
  }
  if (!r.ok || r.pos != bytes.size()) return std::nullopt;
  return i;
}

}  // namespace lambkin::dynamo
