#pragma once
// A function's versions and aliases (reference/lambda.md §5) as names over the pool's numeric
// `version_id`s. Pure bookkeeping: what a version *contains* (code, configuration) is the shell's;
// this class only knows names, ids, and a fingerprint of each version's content.
//
//  - `$LATEST` is the only mutable version. Each change of its code or configuration
//    (`renew_latest`) gives it a fresh version_id, so that the pool never reuses an environment
//    built from older content; the old id is returned for `function_pool::on_version_retired`.
//    Ids of earlier `$LATEST` revisions keep the name `$LATEST` (`name_of`).
//  - `publish` snapshots `$LATEST` into the next number ("1", "2", … never reused), unless the
//    last published version has the same fingerprint (AWS publishes nothing when neither code nor
//    configuration changed since): then that version is returned, `created` false.
//  - Aliases name one version ("$LATEST" or a number). Names are 1–128 of `[a-zA-Z0-9_-]` and
//    not all digits (AWS's pattern `(?!^[0-9]+$)([a-zA-Z0-9-_]+)`).
//  - `resolve` turns an Invoke qualifier (empty, `$LATEST`, a number, an alias) into the id the
//    pool runs.
// Errors are values: errc::validation (a malformed alias name or version), errc::resource_conflict
// (the alias exists), errc::resource_not_found (no such version or alias). The shell words them.
//
// Thread safety: none; owned by one function's shell.
#include "emulator/core/lambda/invocation.hpp"
#include "lambkin/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace lambkin::lambda {

/// One published version.
struct published_version {
  /// "1", "2", …
  std::string name;
  version_id id;
  /// What the shell said the content was when it was published.
  std::string fingerprint;
};

struct function_alias {
  std::string name;
  /// The version it points to: "$LATEST" or a published number.
  std::string version;
  std::string description;
  /// Opaque to this class (the shell sets a fresh one on every change: AWS's RevisionId).
  std::string revision_id;
};

class function_versions {
 public:
  /// `$LATEST` starts as version id 1.
  function_versions() = default;

  /// The id `$LATEST` runs as now.
  version_id latest() const noexcept { return latest_; }
  /// `$LATEST` changed: a fresh id for it; returns the retired one.
  version_id renew_latest() noexcept;

  struct publish_result {
    published_version version;
    bool created = false;
  };
  /// PublishVersion of `$LATEST`, whose content is described by `latest_fingerprint`.
  publish_result publish(std::string latest_fingerprint);

  /// Published versions, oldest first.
  const std::vector<published_version>& published() const noexcept { return published_; }
  const published_version* find_published(std::string_view name) const noexcept;
  /// "$LATEST", the number, or empty for ids never handed out.
  std::string name_of(version_id id) const;
  /// The id of "$LATEST" or a published number; nullopt otherwise.
  std::optional<version_id> find_version(std::string_view name) const noexcept;
  /// Empty / "$LATEST" / a number / an alias → the id it runs now.
  std::optional<version_id> resolve(std::string_view qualifier) const noexcept;

  // ---- aliases ----
  /// validation: bad name or version syntax; resource_not_found: no such version;
  /// resource_conflict: the alias exists.
  std::error_code create_alias(function_alias alias);
  /// Changes the version and/or the description (nullopt leaves it); sets `revision_id`.
  /// resource_not_found: no such alias or version; validation: bad version syntax.
  std::error_code update_alias(std::string_view name, std::optional<std::string> version,
                               std::optional<std::string> description, std::string revision_id);
  /// resource_not_found when there is no such alias.
  std::error_code delete_alias(std::string_view name);
  const function_alias* find_alias(std::string_view name) const noexcept;
  /// In creation order.
  const std::vector<function_alias>& aliases() const noexcept { return aliases_; }

  /// AWS's alias-name pattern: 1–128 of `[a-zA-Z0-9_-]`, not all digits.
  static bool is_valid_alias_name(std::string_view name) noexcept;
  /// `$LATEST` or digits (the `Version` shape's pattern).
  static bool is_version_name(std::string_view name) noexcept;

 private:
  version_id next_id() noexcept { return version_id{++last_id_}; }

  std::uint32_t last_id_ = 1;
  version_id latest_{1};
  std::uint32_t next_number_ = 1;
  /// Every id `$LATEST` ever had (for `name_of`).
  std::vector<version_id> latest_ids_{version_id{1}};
  std::vector<published_version> published_;
  std::vector<function_alias> aliases_;
};

}  // namespace lambkin::lambda
