// get(), transform(), type tests, encode()/decode() and the hash functions.
#include "emulator/core/rules/conversions.hpp"
#include "emulator/core/rules/function_impls.hpp"
#include "emulator/core/rules/hash.hpp"
#include "emulator/core/rules/json.hpp"
#include "emulator/core/text/base64.hpp"

namespace lambkin::rules::detail {
namespace {

template <std::string (*Digest)(std::string_view)>
value hashed(std::span<const value> a) {
  auto s = to_text(a[0]);
  return s ? value::string(Digest(*s)) : value{};
}

}  // namespace

// get(array, i) / get(string, i): 0-based, the index converted to Int; get(object, key): no conversion.
value fn_get(std::span<const value> a, const call_context&) {
  const value& coll = a[0];
  switch (coll.kind()) {
    case value_kind::array: {
      auto i = to_int_floor(a[1]);
      return i ? coll.item(*i) : value{};
    }
    case value_kind::string: {
      auto i = to_int_floor(a[1]);
      if (!i) return {};
      const auto cps = to_code_points(coll.as_string());
      if (*i < 0 || static_cast<std::uint64_t>(*i) >= cps.size()) return {};
      return value::string(to_utf8(std::u32string(1, cps[static_cast<std::size_t>(*i)])));
    }
    case value_kind::object:
      return a[1].kind() == value_kind::string ? coll.field(a[1].as_string()) : value{};
    default: return {};
  }
}

// transform('enrichArray', object, array): each object of the array with the object's members added.
value fn_transform(std::span<const value> a, const call_context&) {
  if (a[0].kind() != value_kind::string || a[0].as_string() != "enrichArray") return {};
  if (a[1].kind() != value_kind::object || a[2].kind() != value_kind::array) return {};
  array out;
  for (const auto& element : a[2].as_array()) {
    if (element.kind() != value_kind::object) continue;
    object merged = element.as_object();
    for (const auto& m : a[1].as_object()) {
      bool replaced = false;
      for (auto& e : merged) {
        if (e.key == m.key) {
          e.val = m.val;
          replaced = true;
        }
      }
      if (!replaced) merged.push_back(m);
    }
    out.push_back(value::make_object(std::move(merged)));
  }
  return value::make_array(std::move(out));
}

value fn_isnull(std::span<const value> a, const call_context&) { return value::boolean(a[0].is_null()); }
value fn_isundefined(std::span<const value> a, const call_context&) { return value::boolean(a[0].is_undefined()); }

// encode(value, 'base64'): `*` is the raw payload; anything else is converted to a String first.
value fn_encode(std::span<const value> a, const call_context&) {
  if (a[1].kind() != value_kind::string || a[1].as_string() != "base64") return {};
  if (a[0].kind() == value_kind::binary) return value::string(text::base64_encode(a[0].as_binary()));
  auto s = to_text(a[0]);
  return s ? value::string(text::base64_encode(*s)) : value{};
}

// decode(value, 'base64'): a JSON document decodes to its value (addressable: decode(x).field),
// other text to a String; text that is not base64 gives Null.
value fn_decode(std::span<const value> a, const call_context& c) {
  if (a[1].kind() != value_kind::string || a[1].as_string() != "base64") return {};
  auto s = to_text(a[0]);
  if (!s) return {};
  auto bytes = text::base64_decode(*s);
  if (!bytes) return value::null();
  if (auto doc = parse_json(*bytes, c.version != sql_version::v2015_10_08)) return std::move(*doc);
  return value::string(std::move(*bytes));
}

value fn_md2(std::span<const value> a, const call_context&) { return hashed<md2_hex>(a); }
value fn_md5(std::span<const value> a, const call_context&) { return hashed<md5_hex>(a); }
value fn_sha1(std::span<const value> a, const call_context&) { return hashed<sha1_hex>(a); }
value fn_sha224(std::span<const value> a, const call_context&) { return hashed<sha224_hex>(a); }
value fn_sha256(std::span<const value> a, const call_context&) { return hashed<sha256_hex>(a); }
value fn_sha384(std::span<const value> a, const call_context&) { return hashed<sha384_hex>(a); }
value fn_sha512(std::span<const value> a, const call_context&) { return hashed<sha512_hex>(a); }

}  // namespace lambkin::rules::detail
