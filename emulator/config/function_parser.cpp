// AWS::Serverless::Function and AWS::Lambda::Function → function_config.
#include "emulator/config/resource_parsers.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <regex>

#include <sys/stat.h>

namespace lambkin::config {
namespace {

const std::vector<std::string> supported_runtimes{
    "nodejs18.x", "nodejs20.x", "nodejs22.x", "provided",    "provided.al2", "provided.al2023",
    "python3.9",  "python3.10", "python3.11", "python3.12", "python3.13"};

// Deprecated on AWS, still found in older templates: lambkin runs them on the machine's Node.
const std::vector<std::string> legacy_node_runtimes{"nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x"};

// Every property AWS accepts; lambkin reads some and lets the rest (IAM, VPC, tracing…) pass.
const std::vector<std::string> serverless_properties{
    "Architectures", "AssumeRolePolicyDocument", "AutoPublishAlias", "AutoPublishAliasAllProperties",
    "AutoPublishCodeSha256", "CodeSigningConfigArn", "CodeUri", "DeadLetterQueue", "DeploymentPreference",
    "Description", "Environment", "EphemeralStorage", "EventInvokeConfig", "Events", "FileSystemConfigs",
    "FunctionName", "FunctionUrlConfig", "Handler", "ImageConfig", "ImageUri", "InlineCode", "KmsKeyArn", "Layers",
    "LoggingConfig", "MemorySize", "PackageType", "PermissionsBoundary", "Policies", "PropagateTags",
    "ProvisionedConcurrencyConfig", "RecursiveLoop", "ReservedConcurrentExecutions", "Role", "RolePath", "Runtime",
    "RuntimeManagementConfig", "SnapStart", "SourceKMSKeyArn", "Tags", "Timeout", "Tracing", "VersionDeletionPolicy",
    "VersionDescription", "VpcConfig"};

const std::vector<std::string> lambda_properties{
    "Architectures", "Code", "CodeSigningConfigArn", "DeadLetterConfig", "Description", "Environment",
    "EphemeralStorage", "FileSystemConfigs", "FunctionName", "Handler", "ImageConfig", "KmsKeyArn", "Layers",
    "LoggingConfig", "MemorySize", "PackageType", "RecursiveLoop", "ReservedConcurrentExecutions", "Role",
    "Runtime", "RuntimeManagementConfig", "SnapStart", "Tags", "Timeout", "TracingConfig", "VpcConfig"};

// Lambda's limit on a deployment package unzipped, code plus layers: 250 MB (262,144,000 bytes).
// lambkin runs no layers, so only the code directory counts.
constexpr std::uintmax_t unzipped_size_limit = 262144000;

// Bytes the code directory would unzip to: the apparent sizes of its regular files (a sparse file
// counts in full, as it would in a zip). Symbolic links are not followed; lambkin's own data
// directory and tool churn that never reaches a package (.git, .aws-sam, .lambkin) are skipped,
// as code_package.hpp skips them. The walk stops once `stop_at` bytes are counted (the answer is
// then "at least"), and it stays on the directory's file system: a CodeUri of "/" or "../.." must
// not walk the whole machine, /proc included (template_loader_fuzz found one taking minutes).
std::uintmax_t unzipped_size(const std::filesystem::path& dir, std::uintmax_t stop_at) {
  namespace fs = std::filesystem;
  struct ::stat top {};
  if (::stat(dir.c_str(), &top) != 0) return 0;
  std::uintmax_t total = 0;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().native();
    std::error_code step;
    if (it->is_directory(step) && !it->is_symlink(step)) {
      struct ::stat st {};
      if (name == ".git" || name == ".aws-sam" || name == ".lambkin" ||
          (::stat(it->path().c_str(), &st) == 0 && st.st_dev != top.st_dev))
        it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(step) && !it->is_symlink(step)) total += it->file_size(step);
    if (total >= stop_at) break;
  }
  return total;
}

std::string list_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

void read_name(const resource_entry& e, const std::string& name, const property_reader& props, function_config& f,
               parse_context& ctx) {
  const node* given = props.find("FunctionName");
  const mark at = given ? given->at : e.at;
  const std::string path = given ? props.path("FunctionName") : "Resources." + e.logical_id;
  if (!std::regex_match(name, std::regex("[A-Za-z0-9_-]{1,64}"))) {
    ctx.diags.error(at, path, "function name '" + name + "' must be 1 to 64 letters, digits, hyphens or underscores");
  }
  for (const auto& other : ctx.out.functions)
    if (other.name.value() == name)
      ctx.diags.error(at, path, "function name '" + name + "' is already used by Resources." + other.logical_id);
  f.name = function_name{name};
  f.arn = ctx.resolve.function_arn(name);
}

void read_runtime_and_handler(const property_reader& props, function_config& f, parse_context& ctx) {
  if (auto runtime = props.string("Runtime", true)) {
    const bool legacy = std::find(legacy_node_runtimes.begin(), legacy_node_runtimes.end(), *runtime) !=
                        legacy_node_runtimes.end();
    if (legacy) {
      ctx.diags.warning(props.find("Runtime")->at, props.path("Runtime"),
                        *runtime + " is deprecated on AWS; lambkin runs it on this machine's Node.js");
      f.runtime = *runtime;
    } else if (std::find(supported_runtimes.begin(), supported_runtimes.end(), *runtime) == supported_runtimes.end()) {
      ctx.diags.error(props.find("Runtime")->at, props.path("Runtime"),
                      "unsupported runtime '" + *runtime + "'; lambkin supports " + list_names(supported_runtimes) +
                          ", and nodejs10.x to nodejs16.x on this machine's Node.js");
    } else {
      f.runtime = *runtime;  // left empty when unknown: no handler rules to apply then
    }
  }
  const bool custom = f.runtime.starts_with("provided");
  if (!props.has("Handler")) {
    if (!custom && !f.runtime.empty())
      props.require("Handler", "is required for runtime " + f.runtime + " (FILE.FUNCTION, e.g. index.handler)");
    return;
  }
  auto handler = props.string("Handler");
  if (!handler) return;
  const bool has_space = std::any_of(handler->begin(), handler->end(), [](unsigned char c) { return std::isspace(c); });
  if (handler->empty() || handler->size() > 128 || has_space) {
    ctx.diags.error(props.find("Handler")->at, props.path("Handler"), "must be 1 to 128 characters without spaces");
  } else if (!custom && !f.runtime.empty() && handler->find('.') == std::string::npos) {
    ctx.diags.error(props.find("Handler")->at, props.path("Handler"),
                    "must be FILE.FUNCTION for runtime " + f.runtime + ", e.g. index.handler");
  }
  f.handler = *handler;
}

void read_code(const property_reader& props, function_config& f, bool serverless, parse_context& ctx) {
  for (const char* image_only : {"ImageUri", "ImageConfig"})
    if (props.has(image_only))
      ctx.diags.error(props.at(image_only), props.path(image_only),
                      "container images are not supported by lambkin; give the code as a directory");
  if (auto type = props.string("PackageType"); type && *type != "Zip")
    ctx.diags.error(props.find("PackageType")->at, props.path("PackageType"),
                    "only Zip packages (a code directory) are supported by lambkin");
  if (serverless && props.has("InlineCode")) {
    ctx.diags.error(props.at("InlineCode"), props.path("InlineCode"),
                    "inline code is not supported by lambkin; put the code in a directory and set CodeUri");
    return;
  }
  const std::string key = serverless ? "CodeUri" : "Code";
  if (!props.require(key, serverless ? "is required (the function's code directory, relative to the template)"
                                     : "is required (a local directory, as `aws cloudformation package` takes)"))
    return;
  const node* code = props.find(key);
  if (!code) return;
  if (!code->is_scalar()) {
    ctx.diags.error(code->at, props.path(key),
                    serverless ? "must be a local directory; S3 locations cannot be read offline"
                               : "must be a local directory path; ZipFile, S3 and image code cannot be run by lambkin");
    return;
  }
  std::filesystem::path dir = std::filesystem::absolute(ctx.template_dir / code->text).lexically_normal();
  if (!dir.has_filename()) dir = dir.parent_path();  // "functions/store/" → ".../functions/store"
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    ctx.diags.error(code->at, props.path(key), "directory " + dir.string() + " does not exist");
  } else if (!std::filesystem::is_directory(dir, ec)) {
    ctx.diags.error(code->at, props.path(key), dir.string() + " is not a directory");
  } else if (const auto size = unzipped_size(dir, unzipped_size_limit); size >= unzipped_size_limit) {
    ctx.diags.error(code->at, props.path(key),
                    dir.string() + " holds at least " + std::to_string(size) +
                        " bytes: Unzipped size must be smaller than " + std::to_string(unzipped_size_limit) + " bytes");
  }
  f.code_dir = dir;
}

void read_sizes(const property_reader& props, function_config& f) {
  if (auto v = props.integer("MemorySize", 128, 10240)) f.memory_mb = static_cast<int>(*v);
  if (auto v = props.integer("Timeout", 1, 900)) f.timeout = seconds(*v);
  if (auto storage = props.child("EphemeralStorage")) {
    storage->allow({"Size"});
    if (auto v = storage->integer("Size", 512, 10240, true)) f.ephemeral_storage_mb = static_cast<int>(*v);
  }
  if (const node* arch = props.find("Architectures")) {
    auto list = read_string_list(*arch, props.path("Architectures"), props.diags());
    if (list && (list->size() != 1 || ((*list)[0] != "x86_64" && (*list)[0] != "arm64")))
      props.diags().error(arch->at, props.path("Architectures"), "must be [x86_64] or [arm64]");
  }
}

}  // namespace

std::optional<std::pair<function_name, std::string>> parse_context::function_for_arn(std::string_view arn) {
  const std::string prefix = resolve.function_arn("");
  if (!arn.starts_with(prefix)) return std::nullopt;
  const std::string_view rest = arn.substr(prefix.size());
  const std::size_t colon = rest.find(':');
  const std::string name(rest.substr(0, colon));
  const std::string qualifier(colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1));
  for (auto& e : resolve.resources().entries())
    if (is_function(e.kind) && resolve.physical_name(e) == name) return std::pair{function_name{name}, qualifier};
  return std::nullopt;
}

void parse_function(resource_entry& e, parse_context& ctx) {
  const bool serverless = e.kind == resource_kind::serverless_function;
  const node resolved = ctx.resolve.resolve_properties(e);
  const property_reader props(resolved, "Resources." + e.logical_id + ".Properties", ctx.diags);
  props.allow(serverless ? serverless_properties : lambda_properties);

  function_config f;
  f.logical_id = e.logical_id;
  f.source = ctx.location(e.at);
  read_name(e, ctx.resolve.physical_name(e), props, f, ctx);
  read_runtime_and_handler(props, f, ctx);
  read_code(props, f, serverless, ctx);
  read_sizes(props, f);
  read_environment(props, f, ctx);
  read_concurrency(props, f, ctx);
  if (serverless) read_event_invoke(props, f, ctx);
  read_dead_letter(props, f, serverless, ctx);
  ctx.out.functions.push_back(std::move(f));
  if (serverless) parse_function_events(ctx.out.functions.back(), props, ctx);
}

}  // namespace lambkin::config
