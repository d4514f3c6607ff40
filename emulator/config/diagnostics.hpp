#pragma once
// Errors and warnings found while loading a template, collected rather than thrown.
//
// Every error names the file, line and column, and the path of the field:
//   `template.yaml:12:19: Resources.Store.Properties.MemorySize: must be an integer between 128 and 10240`
// Warnings that concern a whole resource have no location:
//   `ignored: AWS::SQS::Queue OrdersQueue`
#include "emulator/config/node.hpp"

#include <string>
#include <vector>

namespace lambkin::config {

struct diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 = no location
  int column = 0;
  std::string path;
  std::string message;

  /// `file:line:column: path: message`; the location and path are left out when unknown.
  std::string to_string() const;
};

/// `to_string()` of each, in order.
std::vector<std::string> to_strings(const std::vector<diagnostic>& ds);

/// Collects the diagnostics of one template file. Not thread-safe.
class diagnostics {
 public:
  explicit diagnostics(std::string file) : file_(std::move(file)) {}

  void error(mark at, std::string path, std::string message);
  void warning(mark at, std::string path, std::string message);
  /// A warning without location, e.g. `ignored: AWS::SQS::Queue OrdersQueue`.
  void warning(std::string message);

  bool has_errors() const noexcept { return !errors_.empty(); }
  std::size_t error_count() const noexcept { return errors_.size(); }
  const std::string& file() const noexcept { return file_; }
  std::vector<diagnostic> take_errors() { return std::move(errors_); }
  std::vector<diagnostic> take_warnings() { return std::move(warnings_); }

 private:
  std::string file_;
  std::vector<diagnostic> errors_;
  std::vector<diagnostic> warnings_;
};

/// The candidate closest to `word` by edit distance, if close enough to be a plausible typo
/// (case differences count as small); empty otherwise.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// "; did you mean 'X'?" for the closest candidate, or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace lambkin::config
