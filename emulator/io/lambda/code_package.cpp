#include "emulator/io/lambda/code_package.hpp"

#include "emulator/core/text/base64.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>
#include <vector>

namespace lambkin::io::lambda {
namespace fs = std::filesystem;
namespace {

constexpr std::array<std::string_view, 10> ignored_dirs{".git",        "__pycache__", ".hg",   ".svn",     ".pytest_cache",
                                                        ".mypy_cache", ".idea",       ".vscode", ".aws-sam", ".lambkin"};

bool ends_with_any(std::string_view name, std::initializer_list<std::string_view> suffixes) {
  return std::any_of(suffixes.begin(), suffixes.end(), [&](std::string_view s) { return name.ends_with(s); });
}

/// Every package file under `dir`, relative, sorted (so the digest does not depend on readdir order).
std::vector<fs::path> package_files(const fs::path& dir, std::error_code& ec) {
  std::vector<fs::path> files;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (is_ignored_name(name)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files.push_back(it->path().lexically_relative(dir));
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

bool is_ignored_name(std::string_view name) noexcept {
  if (std::find(ignored_dirs.begin(), ignored_dirs.end(), name) != ignored_dirs.end()) return true;
  if (name == "4913" || name == ".DS_Store" || name.starts_with(".#")) return true;
  return ends_with_any(name, {".pyc", ".swp", ".swx", ".swo", "~"});
}

bool is_ignored_path(const fs::path& relative) noexcept {
  return std::any_of(relative.begin(), relative.end(), [](const fs::path& part) { return is_ignored_name(part.native()); });
}

code_digest digest_code(const fs::path& dir, std::error_code& ec) {
  ec.clear();
  code_digest out;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::error_code walk;
  std::vector<char> buffer(64 * 1024);
  for (const auto& rel : package_files(dir, walk)) {
    std::ifstream in(dir / rel, std::ios::binary);
    if (!in) {
      if (!ec) ec = std::make_error_code(std::errc::permission_denied);
      continue;
    }
    const auto name = rel.generic_string();
    EVP_DigestUpdate(ctx.get(), name.data(), name.size() + 1);  // with its NUL: a separator
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      const auto n = static_cast<std::size_t>(in.gcount());
      EVP_DigestUpdate(ctx.get(), buffer.data(), n);
      out.size += n;
    }
  }
  if (walk && !ec) ec = walk;
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md.data(), &len);
  out.sha256 = text::base64_encode(std::string_view(reinterpret_cast<const char*>(md.data()), len));
  return out;
}

std::error_code snapshot_code(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (fs::exists(to, ec)) return std::make_error_code(std::errc::file_exists);
  fs::create_directories(to, ec);
  if (ec) return ec;
  fs::recursive_directory_iterator it(from, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (is_ignored_name(name)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    const auto target = to / it->path().lexically_relative(from);
    std::error_code step;
    if (it->is_symlink()) {
      fs::copy_symlink(it->path(), target, step);
    } else if (it->is_directory()) {
      fs::create_directory(target, step);
    } else if (it->is_regular_file()) {
      fs::copy_file(it->path(), target, step);  // copies the permission bits too
    }
    if (step) return step;
  }
  return ec;
}

}  // namespace lambkin::io::lambda
