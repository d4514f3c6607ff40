#pragma once
// Plain-text tables with aligned columns, for `lambkin validate`.
#include <string>
#include <vector>

namespace lambkin::config {

class text_table {
 public:
  explicit text_table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }

  /// Adds a row; missing cells are empty, extra ones ignored.
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

  /// Header and rows, each line starting with `indent`, columns two spaces apart and padded to
  /// their widest cell (counted in UTF-8 characters); no trailing spaces.
  std::string render(const std::string& indent) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace lambkin::config
