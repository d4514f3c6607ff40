#include "emulator/sim/svg_timeline.hpp"

#include "emulator/sim/duration_text.hpp"
#include "emulator/sim/time_axis.hpp"

#include <algorithm>
#include <vector>

namespace lambkin::sim {
namespace {

constexpr const char* ink = "#232f3e";
constexpr const char* init_fill = "#ff9900";
constexpr const char* invoke_fill = "#146eb4";
constexpr const char* failed_fill = "#d13212";
constexpr const char* idle_stroke = "#aab7b8";
constexpr double label_w = 96, margin_r = 24, bar_pad = 5;

std::string num(double v) { return format_decimal(v, 1); }

struct bar {
  double x0, x1;
  const char* fill;
  std::uint32_t request;  // the invoke's request; no_index for inits
  std::string tip;
  bool merged = false;  // several segments drawn as one: no label
};

// Maps times to x pixels inside the plot area.
struct scale {
  time_axis axis;
  double x0, w;
  bool visible(time_point t) const { return axis.fraction(t) <= 1.0; }
  double x(time_point t) const { return x0 + w * std::clamp(t == never ? 1.0 : axis.fraction(t), 0.0, 1.0); }
};

// Ticks at the same half pixel are drawn once: a million arrivals still make ≤ 2·width lines.
void ticks(std::string& out, const std::vector<double>& xs, double y, double h, const char* colour) {
  double last = -1;
  for (double x : xs) {
    const double px = static_cast<double>(static_cast<long long>(x * 2)) / 2;
    if (px == last) continue;
    last = px;
    out += "<line x1=\"" + num(px) + "\" y1=\"" + num(y) + "\" x2=\"" + num(px) + "\" y2=\"" + num(y + h) +
           "\" stroke=\"" + colour + "\" stroke-width=\"1\"/>";
  }
}

void lane_label(std::string& out, double y, double h, const std::string& text) {
  out += "<text x=\"8\" y=\"" + num(y + h / 2 + 4) + "\" fill=\"" + ink + "\">" + xml_escape(text) + "</text>";
}

void draw_bars(std::string& out, std::vector<bar>& bars, double y, double h) {
  std::sort(bars.begin(), bars.end(), [](const bar& a, const bar& b) { return a.x0 < b.x0; });
  std::vector<bar> merged;
  for (bar& b : bars) {
    b.x1 = std::max(b.x1, b.x0 + 1.0);  // a sub-pixel segment is still visible
    if (!merged.empty() && merged.back().fill == b.fill && b.x0 <= merged.back().x1 + 0.5 &&
        (b.x1 - b.x0 < 1.5 || merged.back().x1 - merged.back().x0 < 1.5)) {
      merged.back().x1 = std::max(merged.back().x1, b.x1);
      merged.back().request = no_index;
      merged.back().tip.clear();
      merged.back().merged = true;
      continue;
    }
    merged.push_back(std::move(b));
  }
  for (const bar& b : merged) {
    out += "<rect x=\"" + num(b.x0) + "\" y=\"" + num(y + bar_pad) + "\" width=\"" + num(b.x1 - b.x0) +
           "\" height=\"" + num(h - 2 * bar_pad) + "\" fill=\"" + b.fill + "\">";
    if (!b.tip.empty()) out += "<title>" + xml_escape(b.tip) + "</title>";
    out += "</rect>";
    const bool is_init = b.fill == init_fill || b.fill == failed_fill;
    if (b.merged || (b.request == no_index && !(is_init && b.x1 - b.x0 >= 40))) continue;
    const std::string label = is_init ? "init" : std::to_string(b.request + 1);
    if (b.x1 - b.x0 < 7.0 * static_cast<double>(label.size()) + 6) continue;
    out += "<text x=\"" + num((b.x0 + b.x1) / 2) + "\" y=\"" + num(y + h / 2 + 4) +
           "\" text-anchor=\"middle\" fill=\"" + (is_init ? ink : "#ffffff") + "\" font-size=\"11\">" + label +
           "</text>";
  }
}

std::string stop_text(stop_reason r) {
  switch (r) {
    case stop_reason::reaped: return "reaped (idle)";
    case stop_reason::retired: return "retired (new version)";
    case stop_reason::timeout: return "reset after a timeout";
    case stop_reason::crashed: return "crashed";
    case stop_reason::out_of_memory: return "out of memory";
    case stop_reason::init_failed: return "init failed";
    case stop_reason::shutdown: return "shut down";
    case stop_reason::end_of_simulation:
    case stop_reason::running: return "running";
  }
  return "stopped";
}

void legend_item(std::string& out, double& x, double y, const char* fill, const char* text, bool tick = false) {
  if (tick)
    out += "<line x1=\"" + num(x + 5) + "\" y1=\"" + num(y) + "\" x2=\"" + num(x + 5) + "\" y2=\"" + num(y + 12) +
           "\" stroke=\"" + fill + "\" stroke-width=\"2\"/>";
  else
    out += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"18\" height=\"12\" fill=\"" + fill + "\"/>";
  out += "<text x=\"" + num(x + 24) + "\" y=\"" + num(y + 10) + "\" fill=\"" + ink + "\">" + text + "</text>";
  x += 24 + 7.0 * static_cast<double>(std::string_view(text).size()) + 18;
}

}  // namespace

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_svg_timeline(const trace& t, const svg_options& options) {
  const double width = std::max(300, options.width);
  const double lh = std::max(12, options.lane_height);
  const scale sc{time_axis::for_trace(t, options.until), label_w, width - label_w - margin_r};
  const auto lanes = t.environments();
  const std::size_t shown = std::min(lanes.size(), options.max_lanes);
  const bool throttled = !t.throttles().empty();

  double y = options.subtitle.empty() ? 40 : 58;
  const double lanes_top = y;
  const double rows = 1.0 + static_cast<double>(shown) + (throttled ? 1 : 0) + (shown < lanes.size() ? 1 : 0);
  const double axis_y = lanes_top + rows * lh + 6;
  const double height = axis_y + 70;

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" + num(height) +
         "\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n";
  out += "<title>" + xml_escape(options.title) + "</title>\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  out += "<text x=\"8\" y=\"24\" font-size=\"16\" font-weight=\"bold\" fill=\"" + std::string(ink) + "\">" +
         xml_escape(options.title) + "</text>\n";
  if (!options.subtitle.empty())
    out += "<text x=\"8\" y=\"44\" fill=\"" + std::string(ink) + "\">" + xml_escape(options.subtitle) + "</text>\n";

  // Arrivals.
  std::vector<double> xs;
  for (const request_record& r : t.requests())
    if (sc.visible(r.arrival)) xs.push_back(sc.x(r.arrival));
  out += "<g class=\"arrivals\">";
  lane_label(out, y, lh, "arrivals");
  ticks(out, xs, y + 6, lh - 12, "#545b64");
  out += "</g>\n";
  y += lh;

  // Environment lanes: bucket segments by lane once, then draw each lane in time order.
  std::vector<std::vector<bar>> bars(shown);
  for (const init_segment& s : t.inits()) {
    if (s.environment >= shown || !sc.visible(s.start)) continue;
    const bool bad = s.outcome == init_outcome::failed || s.outcome == init_outcome::timeout;
    const std::string tip = std::string(bad ? "failed init " : "init ") +
                            (s.end == never ? "" : format_duration(s.end - s.start));
    bars[s.environment].push_back({sc.x(s.start), sc.x(s.end), bad ? failed_fill : init_fill, no_index, tip});
  }
  for (const invoke_segment& s : t.invokes()) {
    if (s.environment >= shown || !sc.visible(s.start)) continue;
    std::string tip = "request " + std::to_string(s.request + 1) + (s.cold ? " (cold)" : " (warm)");
    if (s.end != never) tip += ", " + format_duration(s.end - s.start);
    bars[s.environment].push_back({sc.x(s.start), sc.x(s.end), invoke_fill, s.request, std::move(tip)});
  }
  for (std::size_t e = 0; e < shown; ++e) {
    const environment_lane& lane = lanes[e];
    const bool pc = lane.type == init_type::provisioned;
    out += "<g class=\"lane\" data-env=\"" + std::to_string(e + 1) + "\">";
    lane_label(out, y, lh, "env " + std::to_string(e + 1) + (pc ? " (pc)" : ""));
    if (sc.visible(lane.created)) {
      const double x0 = sc.x(lane.created), x1 = sc.x(lane.stopped);
      out += "<line x1=\"" + num(x0) + "\" y1=\"" + num(y + lh / 2) + "\" x2=\"" + num(x1) + "\" y2=\"" +
             num(y + lh / 2) + "\" stroke=\"" + idle_stroke + "\" stroke-width=\"2\"/>";
      draw_bars(out, bars[e], y, lh);
      if (lane.reason != stop_reason::running && lane.reason != stop_reason::end_of_simulation &&
          sc.visible(lane.stopped)) {
        const double cy = y + lh / 2;
        out += "<path d=\"M" + num(x1 - 4) + " " + num(cy - 4) + "L" + num(x1 + 4) + " " + num(cy + 4) + "M" +
               num(x1 - 4) + " " + num(cy + 4) + "L" + num(x1 + 4) + " " + num(cy - 4) + "\" stroke=\"" + ink +
               "\" stroke-width=\"1.5\"><title>" + stop_text(lane.reason) + "</title></path>";
      }
    }
    out += "</g>\n";
    y += lh;
  }
  if (shown < lanes.size()) {
    out += "<text x=\"8\" y=\"" + num(y + lh / 2 + 4) + "\" fill=\"" + std::string(ink) + "\">… " +
           std::to_string(lanes.size() - shown) + " more environments not shown</text>\n";
    y += lh;
  }
  if (throttled) {
    xs.clear();
    for (const throttle_event& th : t.throttles())
      if (sc.visible(th.at)) xs.push_back(sc.x(th.at));
    out += "<g class=\"throttles\">";
    lane_label(out, y, lh, "throttled");
    ticks(out, xs, y + 4, lh - 8, failed_fill);
    out += "</g>\n";
  }

  // Time axis.
  out += "<g class=\"axis\"><line x1=\"" + num(sc.x0) + "\" y1=\"" + num(axis_y) + "\" x2=\"" + num(sc.x0 + sc.w) +
         "\" y2=\"" + num(axis_y) + "\" stroke=\"" + ink + "\"/>";
  for (const duration tick : sc.axis.ticks(static_cast<int>(sc.w / 80))) {
    const double x = sc.x(sc.axis.from + tick);
    out += "<line x1=\"" + num(x) + "\" y1=\"" + num(axis_y) + "\" x2=\"" + num(x) + "\" y2=\"" + num(axis_y + 5) +
           "\" stroke=\"" + ink + "\"/><text x=\"" + num(x) + "\" y=\"" + num(axis_y + 18) +
           "\" text-anchor=\"middle\" fill=\"" + ink + "\">" + format_duration(tick) + "</text>";
  }
  out += "</g>\n";

  double lx = 8;
  out += "<g class=\"legend\">";
  legend_item(out, lx, axis_y + 36, init_fill, "init");
  legend_item(out, lx, axis_y + 36, invoke_fill, "invoke");
  legend_item(out, lx, axis_y + 36, failed_fill, "failed init");
  legend_item(out, lx, axis_y + 36, idle_stroke, "idle");
  legend_item(out, lx, axis_y + 36, failed_fill, "throttle", true);
  legend_item(out, lx, axis_y + 36, "#545b64", "arrival", true);
  out += "</g>\n</svg>\n";
  return out;
}

}  // namespace lambkin::sim
