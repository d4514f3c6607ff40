// function_host: versions, aliases, configuration updates and hot reload — the control plane's
// changes to what a function runs.
#include "emulator/io/lambda/function_host.hpp"
#include "emulator/io/lambda/function_host_detail.hpp"
#include "emulator/io/log.hpp"

#include <stdexcept>

namespace lambkin::io::lambda {
namespace fs = std::filesystem;
namespace {

const std::string alias_pattern = "(?!^[0-9]+$)([a-zA-Z0-9-_]+)";
const std::string version_pattern = "(\\$LATEST|[0-9]+)";

std::string validation_message(const std::string& value, const std::string& field, const std::string& pattern) {
  return "1 validation error detected: Value '" + value + "' at '" + field +
         "' failed to satisfy constraint: Member must satisfy regular expression pattern: " + pattern;
}

}  // namespace

void throw_exception_from_error(const api_error& e, const boost::source_location&) {
  throw std::system_error(make_error_code(e.code), e.message);
}

std::string function_host::arn(std::string_view qualifier) const {
  return qualifier.empty() ? function_.arn : function_.arn + ":" + std::string(qualifier);
}

std::string function_host::new_revision_id() { return ids_.request_id(); }

const version_record& function_host::record_of(lam::version_id v) const {
  if (auto it = version_records_.find(v.value()); it != version_records_.end()) return it->second;
  return version_records_.at(versions_.latest().value());
}

version_record function_host::make_record(config::function_config cfg, const std::string& description,
                                          const std::optional<code_digest>& code) {
  version_record r;
  std::error_code ec;
  r.code = code ? *code : digest_code(cfg.code_dir, ec);
  if (ec) logger("lambda")->warn("{}: reading the code in {}: {}", function_.name.value(), cfg.code_dir.string(), ec.message());
  r.config = std::move(cfg);
  r.description = description;
  r.last_modified = api_date_now();
  r.revision_id = new_revision_id();
  return r;
}

std::string function_host::fingerprint(const version_record& r) {
  // Code and the configuration a version snapshots; not the description (PublishVersion's own).
  std::string f = r.code.sha256 + '\n' + r.config.runtime + '\n' + r.config.handler + '\n' +
                  std::to_string(r.config.memory_mb) + '\n' +
                  std::to_string(std::chrono::duration_cast<seconds>(r.config.timeout).count());
  for (const auto& [k, v] : r.config.environment) f += '\n' + k + '=' + v;
  return f;
}

void function_host::feed_now(const std::function<void(lam::command_list&)>& input) {
  // Control-plane changes come from HTTP handlers and the watcher, never from inside a command.
  if (executing_) throw std::logic_error("function_host: control-plane change while executing pool commands");
  feed(input);
}

std::size_t function_host::retire(lam::version_id version) {
  std::size_t stopped = 0;
  feed_now([&](lam::command_list& out) {
    pool_->on_version_retired(version, clock::now(), out);
    for (const auto& c : out)
      if (const auto* s = std::get_if<lam::stop_environment>(&c); s && s->reason == lam::stop_reason::retired) ++stopped;
  });
  return stopped;
}

std::size_t function_host::renew_latest(config::function_config cfg, const std::string& description,
                                        const std::optional<code_digest>& code) {
  auto record = make_record(std::move(cfg), description, code);
  const auto old = versions_.renew_latest();
  const auto latest = versions_.latest();
  (void)pool_->set_version_timeout(latest, record.config.timeout);  // validated by the API already
  function_.memory_mb = record.config.memory_mb;
  function_.timeout = record.config.timeout;
  function_.environment = record.config.environment;
  version_records_.emplace(latest.value(), std::move(record));
  return retire(old);
}

std::optional<lam::published_version> function_host::publish(const std::string& description) {
  const auto& latest = record_of(versions_.latest());
  const auto result = versions_.publish(fingerprint(latest));
  if (!result.created) return result.version;
  version_record r = latest;
  r.description = description;
  r.last_modified = api_date_now();
  r.revision_id = new_revision_id();
  if (!settings_.versions_root.empty()) {
    // A published version is immutable: it runs from its own copy of the code.
    const auto dir = settings_.versions_root / function_.name.value() / result.version.name;
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    if (auto ec = snapshot_code(latest.config.code_dir, dir))
      logger("lambda")->warn("{}: cannot copy the code of version {} ({}); it runs from {}", function_.name.value(),
                             result.version.name, ec.message(), latest.config.code_dir.string());
    else
      r.config.code_dir = dir;
  }
  (void)pool_->set_version_timeout(result.version.id, r.config.timeout);
  version_records_.emplace(result.version.id.value(), std::move(r));
  logger("lambda")->info("{}: published version {}", function_.name.value(), result.version.name);
  return result.version;
}

std::optional<version_info> function_host::version(std::string_view qualifier) const {
  std::string name(qualifier.empty() ? "$LATEST" : qualifier);
  if (const auto* a = versions_.find_alias(name)) name = a->version;
  const auto id = versions_.find_version(name);
  if (!id) return std::nullopt;
  return version_info{name, &record_of(*id)};
}

std::vector<version_info> function_host::versions() const {
  std::vector<version_info> out{version_info{"$LATEST", &record_of(versions_.latest())}};
  for (const auto& v : versions_.published()) out.push_back(version_info{v.name, &record_of(v.id)});
  return out;
}

api_result<version_info> function_host::update_configuration(const configuration_update& update) {
  const auto& current = record_of(versions_.latest());
  auto cfg = current.config;
  if (update.memory_mb) cfg.memory_mb = *update.memory_mb;
  if (update.timeout_seconds) cfg.timeout = seconds(*update.timeout_seconds);
  if (update.environment) cfg.environment = *update.environment;
  const auto description = update.description.value_or(current.description);
  const auto retired = renew_latest(std::move(cfg), description, current.code);
  const auto& now = record_of(versions_.latest());
  logger("lambda")->info("{}: configuration updated (memory {} MB, timeout {} s, {} variables), new $LATEST; {} idle "
                         "environments retired",
                         function_.name.value(), now.config.memory_mb,
                         std::chrono::duration_cast<seconds>(now.config.timeout).count(), now.config.environment.size(),
                         retired);
  return version_info{"$LATEST", &now};
}

api_result<version_info> function_host::publish_version(const std::string& description, const std::string& code_sha256,
                                                        const std::string& revision_id) {
  const auto& latest = record_of(versions_.latest());
  if (!code_sha256.empty() && code_sha256 != latest.code.sha256)
    return api_error{errc::invalid_parameter_value, "CodeSHA256 (" + code_sha256 +
                                                        ") is different from current CodeSHA256 in $LATEST (" +
                                                        latest.code.sha256 + "). Please try again with the CodeSHA256 in $LATEST."};
  if (!revision_id.empty() && revision_id != latest.revision_id)
    return api_error{errc::precondition_failed,
                     "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API "
                     "to retrieve the latest Revision Id"};
  const auto v = publish(description);
  return version_info{v->name, &record_of(v->id)};
}

api_result<alias_info> function_host::create_alias(const std::string& name, const std::string& version,
                                                   const std::string& description) {
  const auto ec = versions_.create_alias({name, version, description, new_revision_id()});
  if (ec == errc::validation)
    return api_error{errc::validation, lam::function_versions::is_valid_alias_name(name)
                                           ? validation_message(version, "functionVersion", version_pattern)
                                           : validation_message(name, "name", alias_pattern)};
  if (ec == errc::resource_not_found) return api_error{errc::resource_not_found, "Function not found: " + arn(version)};
  if (ec == errc::resource_conflict) return api_error{errc::resource_conflict, "Alias already exists: " + arn(name)};
  logger("lambda")->info("{}: alias {} → version {}", function_.name.value(), name, version);
  return alias(name);
}

api_result<alias_info> function_host::alias(const std::string& name) const {
  const auto* a = versions_.find_alias(name);
  if (!a) return api_error{errc::resource_not_found, "Cannot find alias arn: " + arn(name)};
  return alias_info{a->name, a->version, a->description, a->revision_id};
}

api_result<alias_info> function_host::update_alias(const std::string& name, const std::optional<std::string>& version,
                                                   const std::optional<std::string>& description) {
  if (!versions_.find_alias(name)) return api_error{errc::resource_not_found, "Cannot find alias arn: " + arn(name)};
  const bool moves_provisioned = provisioned_ && provisioned_->qualifier == name;
  if (moves_provisioned && version == "$LATEST")
    return api_error{errc::invalid_parameter_value,
                     "Provisioned Concurrency Configs cannot be applied to unpublished function versions."};
  const auto ec = versions_.update_alias(name, version, description, new_revision_id());
  if (ec == errc::validation)
    return api_error{errc::validation, validation_message(version.value_or(""), "functionVersion", version_pattern)};
  if (ec == errc::resource_not_found) return api_error{errc::resource_not_found, "Function not found: " + arn(*version)};
  if (moves_provisioned) {
    // Provisioned concurrency moves with the alias (reference §5).
    if (auto pec = sync_provisioned(provisioned_->requested))
      logger("lambda")->warn("{}: provisioned concurrency could not follow alias {}: {}", function_.name.value(), name,
                             pec.message());
  }
  if (version) logger("lambda")->info("{}: alias {} → version {}", function_.name.value(), name, *version);
  return alias(name);
}

api_result<bool> function_host::delete_alias(const std::string& name) {
  if (provisioned_ && provisioned_->qualifier == name) {
    provisioned_.reset();
    (void)sync_provisioned(std::nullopt);
  }
  // DeleteAlias is idempotent on AWS: no ResourceNotFoundException in its model.
  if (!versions_.delete_alias(name)) logger("lambda")->info("{}: alias {} deleted", function_.name.value(), name);
  return true;
}

std::vector<alias_info> function_host::aliases(const std::optional<std::string>& version) const {
  std::vector<alias_info> out;
  for (const auto& a : versions_.aliases())
    if (!version || a.version == *version) out.push_back(alias_info{a.name, a.version, a.description, a.revision_id});
  return out;
}

void function_host::code_changed(const std::string& path) {
  const auto& latest = record_of(versions_.latest());
  auto retired = renew_latest(latest.config, latest.description);
  std::string moved;
  if (const auto* a = function_.alias.empty() ? nullptr : versions_.find_alias(function_.alias)) {
    // AutoPublishAlias: as `sam deploy` would, publish the new code and move the alias to it.
    const std::string before = a->version;
    const auto v = publish("");
    if (v && v->name != before) {
      (void)update_alias(function_.alias, v->name, std::nullopt);
      if (const auto old = versions_.find_version(before)) retired += retire(*old);
      moved = "; version " + v->name + " published, alias " + function_.alias + " moved to it";
    }
  }
  logger("lambda")->info("{}: code changed ({}), new $LATEST; {} idle environments retired{}", function_.name.value(),
                         path, retired, moved);
}

void function_host::start_watching() {
  watch_options options;
  options.exclude = settings_.watch_exclude;
  watcher_ = std::make_unique<code_watcher>(
      executor_, function_.code_dir, [this](std::string path) { code_changed(path); }, options);
  if (auto ec = watcher_->start()) {
    logger("lambda")->warn("{}: hot reload off, cannot watch {}: {}", function_.name.value(),
                           function_.code_dir.string(), ec.message());
    watcher_.reset();
    return;
  }
  logger("lambda")->debug("{}: watching {} ({} directories)", function_.name.value(), function_.code_dir.string(),
                          watcher_->watched());
}

}  // namespace lambkin::io::lambda
