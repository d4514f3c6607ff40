#include "emulator/config/diagnostics.hpp"

#include <algorithm>
#include <cctype>

namespace lambkin::config {

std::string diagnostic::to_string() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
    out += ": ";
  }
  if (!path.empty()) out += path + ": ";
  out += message;
  return out;
}

std::vector<std::string> to_strings(const std::vector<diagnostic>& ds) {
  std::vector<std::string> out;
  out.reserve(ds.size());
  for (const auto& d : ds) out.push_back(d.to_string());
  return out;
}

void diagnostics::error(mark at, std::string path, std::string message) {
  errors_.push_back({file_, at.line, at.column, std::move(path), std::move(message)});
}

void diagnostics::warning(mark at, std::string path, std::string message) {
  warnings_.push_back({file_, at.line, at.column, std::move(path), std::move(message)});
}

void diagnostics::warning(std::string message) {
  warnings_.push_back({{}, 0, 0, {}, std::move(message)});
}

namespace {

// Edit distance counting a swap of neighbours as one edit (optimal string alignment), where a
// change of case alone costs nothing: `memorysize` is `MemorySize`, `Tabel` one edit from `Table`.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  };
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_score = 0;
  for (const auto& c : candidates) {
    std::size_t score = edit_distance(word, c);
    // A shortened name (`Memory` for `MemorySize`, `Memroy` too) is a typo of the longer one.
    if (word.size() >= 3 && c.size() > word.size())
      score = std::min(score, edit_distance(word, std::string_view(c).substr(0, word.size())) + 1);
    if (best.empty() || score < best_score) {
      best = c;
      best_score = score;
    }
  }
  // About one edit in three letters: `Memroy` finds `MemorySize`, `Foo` finds nothing.
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  return !best.empty() && best_score <= limit ? best : std::string{};
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string match = closest_match(word, candidates);
  return match.empty() ? std::string{} : "; did you mean '" + match + "'?";
}

}  // namespace lambkin::config
