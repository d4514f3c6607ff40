#include "emulator/io/lambda/line_splitter.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using lambkin::io::lambda::line_splitter;

namespace {
std::vector<std::string> split(const std::vector<std::string>& chunks, std::size_t max_line = 8, bool flush = true) {
  line_splitter s(max_line);
  std::vector<std::string> lines;
  const auto sink = [&](std::string_view l) { lines.emplace_back(l); };
  for (const auto& c : chunks) s.feed(c, sink);
  if (flush) s.flush(sink);
  return lines;
}
}  // namespace

TEST_CASE("line_splitter: lines across chunks, CRLF, empty lines, a partial last line at flush") {
  CHECK(split({"a\nb", "c\r\n\n", "d"}) == std::vector<std::string>{"a", "bc", "", "d"});
  CHECK(split({"a\nb"}, 8, false) == std::vector<std::string>{"a"});
  CHECK(split({"x\r"}) == std::vector<std::string>{"x"});
  CHECK(split({}).empty());
}

TEST_CASE("line_splitter: over-long lines are cut at the cap, a line of exactly the cap is one line") {
  CHECK(split({"0123456789ab\n"}) == std::vector<std::string>{"01234567", "89ab"});
  CHECK(split({"01234567\n"}) == std::vector<std::string>{"01234567"});
  CHECK(split({"0123", "4567", "\nz\n"}) == std::vector<std::string>{"01234567", "z"});
  CHECK(split({"01234567", "89"}) == std::vector<std::string>{"01234567", "89"});
  CHECK(split({"0123456789abcdefXY"}) == std::vector<std::string>{"01234567", "89abcdef", "XY"});
}
