#include "emulator/sim/svg_timeline.hpp"

#include "sim/sample_traces.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

using namespace lambkin;
using namespace lambkin::sim;
using namespace lambkin::sim::samples;

namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + what.size())) ++n;
  return n;
}

// A small well-formedness check: balanced tags, quoted attributes, no stray '<' or '&' in text.
// Enough for what svg_timeline writes; xmllint (below, when installed) checks the real thing.
std::string xml_problem(const std::string& s) {
  std::vector<std::string> open;
  std::size_t i = 0;
  const auto entity_ok = [&](std::size_t at) {
    for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"})
      if (s.compare(at, std::string(e).size(), e) == 0) return true;
    return false;
  };
  while (i < s.size()) {
    if (s[i] == '&' && !entity_ok(i)) return "bare & at " + std::to_string(i);
    if (s[i] != '<') {
      if (s[i] == '>') return "stray > at " + std::to_string(i);
      ++i;
      continue;
    }
    if (s.compare(i, 2, "<?") == 0) {
      i = s.find("?>", i) + 2;
      continue;
    }
    const auto end = s.find('>', i);
    if (end == std::string::npos) return "unterminated tag";
    std::string tag = s.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.starts_with("/")) {
      if (open.empty() || open.back() != tag.substr(1)) return "mismatched </" + tag.substr(1) + ">";
      open.pop_back();
      continue;
    }
    const bool self_closing = tag.ends_with("/");
    if (count(tag, "\"") % 2 != 0) return "unbalanced quotes in <" + tag + ">";
    if (tag.find('<') != std::string::npos) return "'<' inside <" + tag + ">";
    const std::string name = tag.substr(0, tag.find_first_of(" /"));
    if (!self_closing) open.push_back(name);
  }
  return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

}  // namespace

TEST_CASE("one lane per environment, bars for each segment, labels and a legend") {
  const std::string svg = render_svg_timeline(six_simultaneous(), {.title = "Six simultaneous requests"});
  CHECK(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK(svg.ends_with("</svg>\n"));
  CHECK(count(svg, "<g class=\"lane\"") == 6);
  CHECK(count(svg, "data-env=\"6\"") == 1);
  CHECK(count(svg, "fill=\"#ff9900\"") == 6 + 1);  // six init bars, one legend swatch
  CHECK(count(svg, "fill=\"#146eb4\"") == 6 + 1);
  CHECK(count(svg, "<title>request 1 (cold), 100ms</title>") == 1);
  CHECK(count(svg, ">init</text>") == 7);           // inside six bars and in the legend
  CHECK(count(svg, "<g class=\"throttles\">") == 0);  // nothing was throttled
  CHECK(svg.find(">300ms</text>") != std::string::npos);
  CHECK(xml_problem(svg).empty());
}

TEST_CASE("throttles get their own lane, and stops get a cross with the reason") {
  const std::string svg = render_svg_timeline(reserved_one(), {.subtitle = "reserved concurrency 1"});
  CHECK(count(svg, "<g class=\"lane\"") == 2);
  CHECK(count(svg, "<g class=\"throttles\">") == 1);
  CHECK(svg.find("<title>retired (new version)</title>") != std::string::npos);
  CHECK(svg.find("env 2 (pc)") != std::string::npos);
  CHECK(svg.find(">reserved concurrency 1</text>") != std::string::npos);
  CHECK(xml_problem(svg).empty());
}

TEST_CASE("text is escaped, so any title gives valid XML") {
  const std::string svg = render_svg_timeline(six_simultaneous(), {.title = "a < b & \"c\" > 'd'"});
  CHECK(svg.find("<title>a &lt; b &amp; &quot;c&quot; &gt; &apos;d&apos;</title>") != std::string::npos);
  CHECK(xml_problem(svg).empty());
  CHECK(xml_escape("<&>") == "&lt;&amp;&gt;");
}

TEST_CASE("a large run stays small: sub-pixel bars merge, duplicate ticks are dropped") {
  trace t;
  const auto a = t.begin_environment(at(0ms), environment_id(1), init_type::on_demand);
  const auto b = t.begin_environment(at(0ms), environment_id(2), init_type::on_demand);
  t.end_init(a, at(200ms));
  t.end_init(b, at(200ms));
  for (int i = 0; i < 100000; ++i) {
    const auto r = t.add_request(at(200ms + i * 1ms));
    const auto e = i % 2 ? b : a;
    t.begin_invoke(e, r, at(200ms + i * 1ms), false);
    t.end_invoke(e, at(200ms + i * 1ms + 900us));
  }
  t.finish(at(101s));
  const std::string svg = render_svg_timeline(t);
  CHECK(svg.size() < 200'000);
  CHECK(count(svg, "<g class=\"lane\"") == 2);
  CHECK(xml_problem(svg).empty());
}

TEST_CASE("lanes beyond max_lanes are counted, not drawn") {
  const std::string svg = render_svg_timeline(six_simultaneous(), {.max_lanes = 4});
  CHECK(count(svg, "<g class=\"lane\"") == 4);
  CHECK(svg.find("… 2 more environments not shown") != std::string::npos);
  CHECK(xml_problem(svg).empty());
}

TEST_CASE("xmllint accepts the document (skipped when xmllint is not installed)") {
  if (std::system("command -v xmllint > /dev/null 2>&1") != 0) return;
  const std::string path = "sim_svg_timeline_test.svg";
  std::ofstream(path) << render_svg_timeline(reserved_one(), {.title = "a < b & c"});
  const int rc = std::system(("xmllint --noout " + path).c_str());
  std::remove(path.c_str());
  CHECK(rc == 0);
}
