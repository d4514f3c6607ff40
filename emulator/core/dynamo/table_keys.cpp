#include "emulator/core/dynamo/table_keys.hpp"

#include "emulator/core/dynamo/key_encoding.hpp"
#include "emulator/core/dynamo/number.hpp"

namespace lambkin::dynamo {
namespace {

std::optional<dynamo_error> check_key_attribute(const config::key_attribute& k, const item& i, bool missing_is_error) {
  auto it = i.find(k.name);
  if (it == i.end()) {
    if (!missing_is_error) return std::nullopt;
    return validation_error("One or more parameter values were invalid: Missing the key " + k.name + " in the item");
  }
  const auto want = to_value_type(k.type);
  if (it->second.type != want)
    return validation_error("One or more parameter values were invalid: Type mismatch for key " + k.name + " expected: " +
                            std::string(type_name(want)) + " actual: " + std::string(type_name(it->second.type)));
  if (it->second.text.empty() && want != value_type::N)
    return validation_error(
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty " +
        std::string(want == value_type::S ? "string" : "binary") + " value. Key: " + k.name);
  return std::nullopt;
}

std::optional<dynamo_error> check_index_attribute(const config::key_attribute& k, const config::secondary_index& x, const item& i) {
  auto it = i.find(k.name);
  if (it == i.end()) return std::nullopt;
  const auto want = to_value_type(k.type);
  if (it->second.type != want)
    return validation_error("One or more parameter values were invalid: Type mismatch for Index Key " + k.name +
                            " Expected: " + std::string(type_name(want)) + " Actual: " +
                            std::string(type_name(it->second.type)) + " IndexName: " + x.name);
  if (it->second.text.empty() && want != value_type::N)
    return validation_error(
        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The "
        "AttributeValue for a key attribute cannot contain an empty " +
        std::string(want == value_type::S ? "string" : "binary") + " value. IndexName: " + x.name + ", IndexKey: " + k.name);
  return std::nullopt;
}

template <class F>
void for_each_index(const config::table_config& t, F&& f) {
  for (const auto& x : t.global_indexes) f(x);
  for (const auto& x : t.local_indexes) f(x);
}

void copy_attribute(item& out, const item& in, const std::string& name) {
  if (auto it = in.find(name); it != in.end()) out.insert_or_assign(name, it->second);
}

}  // namespace

value_type to_value_type(config::attribute_type t) noexcept {
  return t == config::attribute_type::string ? value_type::S
         : t == config::attribute_type::number ? value_type::N
                                                : value_type::B;
}

std::optional<dynamo_error> validate_item(const config::table_config& t, const item& i) {
  if (auto e = check_key_attribute(t.keys.partition, i, true)) return e;
  if (t.keys.sort)
    if (auto e = check_key_attribute(*t.keys.sort, i, true)) return e;
  std::optional<dynamo_error> failure;
  for_each_index(t, [&](const config::secondary_index& x) {
    if (failure) return;
    failure = check_index_attribute(x.keys.partition, x, i);
    if (!failure && x.keys.sort) failure = check_index_attribute(*x.keys.sort, x, i);
  });
  return failure;
}

std::optional<dynamo_error> validate_key(const config::table_config& t, const item& key) {
  const std::size_t expected = t.keys.sort ? 2 : 1;
  const auto mismatch = validation_error("The provided key element does not match the schema");
  if (key.size() != expected || !key.contains(t.keys.partition.name) || (t.keys.sort && !key.contains(t.keys.sort->name)))
    return mismatch;
  for (const auto* k : {&t.keys.partition, t.keys.sort ? &*t.keys.sort : nullptr}) {
    if (!k) continue;
    const auto& v = key.find(k->name)->second;
    if (v.type != to_value_type(k->type)) return mismatch;
    if (v.text.empty() && v.type != value_type::N)
      return validation_error(
          "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty " +
          std::string(v.type == value_type::S ? "string" : "binary") + " value. Key: " + k->name);
  }
  return std::nullopt;
}

item key_of(const config::table_config& t, const item& i) {
  item k;
  copy_attribute(k, i, t.keys.partition.name);
  if (t.keys.sort) copy_attribute(k, i, t.keys.sort->name);
  return k;
}

encoded_key encode_primary_key(const config::table_config& t, const item& i) {
  encoded_key k;
  k.pk = encode_key_value(i.at(t.keys.partition.name));
  if (t.keys.sort) k.sk = encode_key_value(i.at(t.keys.sort->name));
  return k;
}

std::vector<index_entry> index_entries(const config::table_config& t, const item& i) {
  std::vector<index_entry> out;
  for_each_index(t, [&](const config::secondary_index& x) {
    auto p = i.find(x.keys.partition.name);
    if (p == i.end() || p->second.type != to_value_type(x.keys.partition.type)) return;
    index_entry e{x.name, encode_key_value(p->second), {}};
    if (x.keys.sort) {
      auto s = i.find(x.keys.sort->name);
      if (s == i.end() || s->second.type != to_value_type(x.keys.sort->type)) return;
      e.isk = encode_key_value(s->second);
    }
    out.push_back(std::move(e));
  });
  return out;
}

const config::secondary_index* find_index(const config::table_config& t, std::string_view name) {
  for (const auto& x : t.global_indexes)
    if (x.name == name) return &x;
  for (const auto& x : t.local_indexes)
    if (x.name == name) return &x;
  return nullptr;
}

item project_for_index(const config::table_config& t, const config::secondary_index& index, const item& i) {
  if (index.projection == "ALL") return i;
  item out = key_of(t, i);
  copy_attribute(out, i, index.keys.partition.name);
  if (index.keys.sort) copy_attribute(out, i, index.keys.sort->name);
  if (index.projection == "INCLUDE")
    for (const auto& name : index.non_key_attributes) copy_attribute(out, i, name);
  return out;
}

item last_evaluated_key(const config::table_config& t, const config::secondary_index* index, const item& i) {
  item k = key_of(t, i);
  if (index) {
    copy_attribute(k, i, index->keys.partition.name);
    if (index->keys.sort) copy_attribute(k, i, index->keys.sort->name);
  }
  return k;
}

std::uint32_t partition_bucket(std::string_view encoded_pk) noexcept {
  std::uint32_t h = 2166136261u;  // FNV-1a
  for (char c : encoded_pk) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return (h ^ (h >> 16)) & 0xFFFFu;
}

std::optional<std::int64_t> expiry_of(const std::optional<std::string>& ttl_attribute, const item& i) {
  if (!ttl_attribute) return std::nullopt;
  auto it = i.find(*ttl_attribute);
  if (it == i.end() || it->second.type != value_type::N) return std::nullopt;
  auto d = parse_number(it->second.text);
  if (!d || d->negative || d->is_zero()) return std::nullopt;
  if (d->exponent > 18) return std::nullopt;  // far beyond any epoch second
  std::int64_t secs = 0;
  for (int k = 0; k < d->exponent; ++k)
    secs = secs * 10 + (k < static_cast<int>(d->digits.size()) ? d->digits[static_cast<std::size_t>(k)] - '0' : 0);
  return secs;
}

}  // namespace lambkin::dynamo
