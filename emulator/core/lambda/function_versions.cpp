#include "emulator/core/lambda/function_versions.hpp"

#include <algorithm>

namespace lambkin::lambda {
namespace {

bool is_digits(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

version_id function_versions::renew_latest() noexcept {
  const version_id old = latest_;
  latest_ = next_id();
  latest_ids_.push_back(latest_);
  return old;
}

function_versions::publish_result function_versions::publish(std::string latest_fingerprint) {
  if (!published_.empty() && published_.back().fingerprint == latest_fingerprint) return {published_.back(), false};
  published_.push_back(published_version{std::to_string(next_number_++), next_id(), std::move(latest_fingerprint)});
  return {published_.back(), true};
}

const published_version* function_versions::find_published(std::string_view name) const noexcept {
  for (const auto& v : published_)
    if (v.name == name) return &v;
  return nullptr;
}

std::string function_versions::name_of(version_id id) const {
  if (std::find(latest_ids_.begin(), latest_ids_.end(), id) != latest_ids_.end()) return "$LATEST";
  for (const auto& v : published_)
    if (v.id == id) return v.name;
  return {};
}

std::optional<version_id> function_versions::find_version(std::string_view name) const noexcept {
  if (name == "$LATEST") return latest_;
  if (const auto* v = find_published(name)) return v->id;
  return std::nullopt;
}

std::optional<version_id> function_versions::resolve(std::string_view qualifier) const noexcept {
  if (qualifier.empty()) return latest_;
  if (auto v = find_version(qualifier)) return v;
  if (const auto* a = find_alias(qualifier)) return find_version(a->version);
  return std::nullopt;
}

std::error_code function_versions::create_alias(function_alias alias) {
  if (!is_valid_alias_name(alias.name) || !is_version_name(alias.version)) return errc::validation;
  if (!find_version(alias.version)) return errc::resource_not_found;
  if (find_alias(alias.name)) return errc::resource_conflict;
  aliases_.push_back(std::move(alias));
  return {};
}

std::error_code function_versions::update_alias(std::string_view name, std::optional<std::string> version,
                                                std::optional<std::string> description, std::string revision_id) {
  auto it = std::find_if(aliases_.begin(), aliases_.end(), [&](const auto& a) { return a.name == name; });
  if (it == aliases_.end()) return errc::resource_not_found;
  if (version) {
    if (!is_version_name(*version)) return errc::validation;
    if (!find_version(*version)) return errc::resource_not_found;
    it->version = std::move(*version);
  }
  if (description) it->description = std::move(*description);
  it->revision_id = std::move(revision_id);
  return {};
}

std::error_code function_versions::delete_alias(std::string_view name) {
  auto it = std::find_if(aliases_.begin(), aliases_.end(), [&](const auto& a) { return a.name == name; });
  if (it == aliases_.end()) return errc::resource_not_found;
  aliases_.erase(it);
  return {};
}

const function_alias* function_versions::find_alias(std::string_view name) const noexcept {
  for (const auto& a : aliases_)
    if (a.name == name) return &a;
  return nullptr;
}

bool function_versions::is_valid_alias_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 128 || is_digits(name)) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

bool function_versions::is_version_name(std::string_view name) noexcept {
  return name == "$LATEST" || is_digits(name);
}

}  // namespace lambkin::lambda
