#include "emulator/io/lambda/line_splitter.hpp"

namespace lambkin::io::lambda {
namespace {

void emit(std::string_view line, const line_splitter::sink& out) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  out(line);
}

}  // namespace

void line_splitter::feed(std::string_view bytes, const sink& out) {
  while (!bytes.empty()) {
    if (partial_.size() == max_line_) {
      // At the cap, so a function printing without newlines cannot make us buffer without bound:
      // a newline now ends the line normally, anything else cuts it here.
      if (bytes.front() == '\n') {
        emit(partial_, out);
        bytes.remove_prefix(1);
      } else {
        out(partial_);
      }
      partial_.clear();
      continue;
    }
    const auto nl = bytes.find('\n');
    const auto take = nl == std::string_view::npos ? bytes.size() : nl;
    const auto room = max_line_ - partial_.size();
    if (take > room) {
      partial_.append(bytes.substr(0, room));
      bytes.remove_prefix(room);
      continue;
    }
    if (nl == std::string_view::npos) {
      partial_.append(bytes);
      return;
    }
    if (partial_.empty()) {
      emit(bytes.substr(0, nl), out);  // the common case: no copy
    } else {
      partial_.append(bytes.substr(0, nl));
      emit(partial_, out);
      partial_.clear();
    }
    bytes.remove_prefix(nl + 1);
  }
}

void line_splitter::flush(const sink& out) {
  if (partial_.empty()) return;
  emit(partial_, out);
  partial_.clear();
}

}  // namespace lambkin::io::lambda
