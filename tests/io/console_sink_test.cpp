// The console's painting (issue 10): which bytes get which colour, and that the visible text is
// the text spdlog formatted.
#include "emulator/io/console_sink.hpp"

#include <doctest/doctest.h>

#include <string>

using lambkin::io::leading_function_name;
using lambkin::io::paint_line;

namespace {

/// The text a terminal shows: escape sequences removed.
std::string visible(const std::string& painted) {
  std::string out;
  for (std::size_t i = 0; i < painted.size(); ++i) {
    if (painted[i] == '\x1b') {
      i = painted.find('m', i);
      continue;
    }
    out += painted[i];
  }
  return out;
}

}  // namespace

TEST_CASE("a function's name is the message's first word, before a space or a colon") {
  CHECK(leading_function_name("StoreTemperature START RequestId: 1") == "StoreTemperature");
  CHECK(leading_function_name("Echo: runtime exited (exit 1)") == "Echo");
  CHECK(leading_function_name("nospace").empty());
}

TEST_CASE("the level and the function name are coloured, the visible text is unchanged") {
  const std::string line = "10:00:00.000 lambda   info  Echo START RequestId: abc Version: $LATEST\n";
  const auto level_at = line.find("info");
  const auto name_at = line.find("Echo");
  const auto painted = paint_line(line, level_at, level_at + 4, "32", name_at, "36");
  CHECK(visible(painted) == line);
  CHECK(painted.find("\x1b[32minfo\x1b[0m") != std::string::npos);
  CHECK(painted.find("\x1b[36mEcho\x1b[0m START") != std::string::npos);
}

TEST_CASE("a REPORT line's Init Duration is bold, a warm REPORT has nothing bold") {
  const std::string cold =
      "10:00:00.000 lambda   info  Echo REPORT RequestId: abc\tDuration: 1.20 ms\tBilled Duration: 2 ms\t"
      "Memory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 162.31 ms\n";
  const auto name_at = cold.find("Echo");
  const auto painted = paint_line(cold, 13, 19, "32", name_at, "35");
  CHECK(visible(painted) == cold);
  CHECK(painted.find("\x1b[1mInit Duration: 162.31 ms\x1b[0m") != std::string::npos);

  const std::string warm = "10:00:00.000 lambda   info  Echo REPORT RequestId: abc\tDuration: 1.20 ms\n";
  CHECK(paint_line(warm, 13, 19, "32", warm.find("Echo"), "35").find("\x1b[1m") == std::string::npos);
}

TEST_CASE("printed text that merely contains 'Init Duration' is not a REPORT line") {
  const std::string line = "10:00:00.000 lambda   info  Echo Init Duration: 5 ms said the function\n";
  const auto painted = paint_line(line, 13, 19, "32", line.find("Echo"), "35");
  CHECK(painted.find("\x1b[1m") == std::string::npos);
  CHECK(visible(painted) == line);
}

TEST_CASE("no level range and no name: nothing is painted") {
  const std::string line = "plain\n";
  CHECK(paint_line(line, 0, 0, "32", std::string::npos, "36") == line);
}
