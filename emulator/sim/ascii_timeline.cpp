#include "emulator/sim/ascii_timeline.hpp"

#include "emulator/sim/duration_text.hpp"
#include "emulator/sim/time_axis.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace lambkin::sim {
namespace {

class grid {
 public:
  grid(const time_axis& axis, int width) : axis_(axis), width_(width) {}

  bool visible(time_point start) const { return axis_.fraction(start) <= 1.0; }

  int first(time_point t) const { return clamp(static_cast<int>(std::floor(axis_.fraction(t) * width_))); }

  // The last column a [start, end) segment touches; an instant (end == start) still gets its column.
  int last(time_point start, time_point end) const {
    const int f = first(start);
    if (end == never) return width_ - 1;
    if (end <= start) return f;
    return std::max(f, clamp(static_cast<int>(std::ceil(axis_.fraction(end) * width_)) - 1));
  }

  void fill(std::string& row, time_point start, time_point end, char c) const {
    if (!visible(start)) return;
    for (int col = first(start), to = last(start, end); col <= to; ++col) row[static_cast<std::size_t>(col)] = c;
  }

 private:
  int clamp(int col) const { return std::clamp(col, 0, width_ - 1); }

  time_axis axis_;
  int width_;
};

char count_glyph(int n) { return n == 0 ? ' ' : n <= 9 ? static_cast<char>('0' + n) : '+'; }

std::string counts_row(const std::vector<int>& counts) {
  std::string row;
  for (int n : counts) row += count_glyph(n);
  return row;
}

void emit(std::string& out, const std::string& label, std::size_t label_width, std::string row) {
  std::string line = label;
  line.resize(label_width, ' ');
  line += row;
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out += line + '\n';
}

}  // namespace

std::string render_ascii_timeline(const trace& t, const ascii_options& options) {
  const int width = std::max(10, options.width);
  const auto w = static_cast<std::size_t>(width);
  const time_axis axis = time_axis::for_trace(t, options.until);
  const grid g(axis, width);
  const auto lanes = t.environments();
  const std::size_t shown = std::min(lanes.size(), options.max_lanes);
  const bool digits = t.requests().size() <= 9;

  std::vector<std::string> rows(shown, std::string(w, ' '));
  for (std::size_t e = 0; e < shown; ++e) {
    const environment_lane& lane = lanes[e];
    g.fill(rows[e], lane.created, lane.stopped, '.');
    const bool stopped = lane.reason != stop_reason::running && lane.reason != stop_reason::end_of_simulation;
    if (stopped && g.visible(lane.stopped)) {
      const int col = std::min(g.last(lane.created, lane.stopped) + 1, width - 1);
      rows[e][static_cast<std::size_t>(col)] = 'x';
    }
  }
  // Inits before invokes, so an invoke wins a column they share.
  for (const init_segment& s : t.inits()) {
    if (s.environment >= shown) continue;
    const bool bad = s.outcome == init_outcome::failed || s.outcome == init_outcome::timeout;
    g.fill(rows[s.environment], s.start, s.end, bad ? 'F' : 'I');
  }
  for (const invoke_segment& s : t.invokes()) {
    if (s.environment >= shown) continue;
    g.fill(rows[s.environment], s.start, s.end, digits ? static_cast<char>('1' + s.request) : '=');
  }

  std::vector<int> arrivals(w, 0), throttles(w, 0);
  for (const request_record& r : t.requests())
    if (g.visible(r.arrival)) ++arrivals[static_cast<std::size_t>(g.first(r.arrival))];
  for (const throttle_event& th : t.throttles())
    if (g.visible(th.at)) ++throttles[static_cast<std::size_t>(g.first(th.at))];

  std::vector<std::string> labels;
  std::size_t label_width = std::string("throttled").size();
  for (std::size_t e = 0; e < shown; ++e) {
    labels.push_back("env " + std::to_string(e + 1) + (lanes[e].type == init_type::provisioned ? " (pc)" : ""));
    label_width = std::max(label_width, labels.back().size());
  }
  label_width += 2;

  std::string out;
  emit(out, "arrivals", label_width, counts_row(arrivals));
  for (std::size_t e = 0; e < shown; ++e) emit(out, labels[e], label_width, rows[e]);
  if (shown < lanes.size()) out += "… " + std::to_string(lanes.size() - shown) + " more environments not shown\n";
  if (!t.throttles().empty()) emit(out, "throttled", label_width, counts_row(throttles));

  std::string ruler(w, '-'), tick_labels;
  for (const duration tick : axis.ticks(std::max(2, width / 12))) {
    const auto col = static_cast<std::size_t>(g.first(axis.from + tick));
    ruler[col] = '+';
    if (col < tick_labels.size() + (tick_labels.empty() ? 0 : 1)) continue;  // would touch the previous label
    tick_labels.resize(col, ' ');
    tick_labels += format_duration(tick);
  }
  emit(out, "", label_width, ruler);
  emit(out, "", label_width, tick_labels);
  if (options.legend) {
    const bool failed = std::any_of(t.inits().begin(), t.inits().end(), [](const init_segment& s) {
      return s.outcome == init_outcome::failed || s.outcome == init_outcome::timeout;
    });
    out += std::string("I init  ") + (failed ? "F failed init  " : "") + (digits ? "1-9 request" : "= invoke") +
           "  . idle  x stopped  | arrivals, throttled: count per column (+ = 10 or more)\n";
  }
  return out;
}

}  // namespace lambkin::sim
