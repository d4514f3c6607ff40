#pragma once
// Splits a byte stream (a function's stdout or stderr) into log lines.
//
// Thread safety: none; one splitter per stream, used from one thread.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace lambkin::io::lambda {

class line_splitter {
 public:
  using sink = std::function<void(std::string_view line)>;

  /// Lines longer than `max_line` bytes are cut into pieces of `max_line` bytes.
  explicit line_splitter(std::size_t max_line = 256 * 1024) : max_line_(max_line == 0 ? 1 : max_line) {}

  /// Appends bytes; every completed line goes to `out` without its `\n` (and without a `\r`
  /// right before it). An unfinished line is kept until more bytes, `flush` or the cap.
  void feed(std::string_view bytes, const sink& out);
  /// Emits the unfinished line, if any (at end of stream).
  void flush(const sink& out);
  /// Bytes held for the unfinished line.
  std::size_t pending() const noexcept { return partial_.size(); }

 private:
  std::size_t max_line_;
  std::string partial_;
};

}  // namespace lambkin::io::lambda
