#pragma once
// A standalone SVG timeline of a simulated run, in the manner of the figures in AWS's Lambda
// documentation: one lane per execution environment, init and invoke segments as coloured bars.
//
// Layout, top to bottom: title (and optional subtitle); an `arrivals` lane of grey ticks; one
// `<g class="lane" data-env="N">` per environment (N = creation order, 1-based) with a grey idle
// line while it lives, init bars (AWS orange, red if the init failed; "init" inside when it fits),
// invoke bars (blue, request number inside when it fits, hover title with request, cold or warm,
// duration) and a cross (hover: why) where it
// stopped; a `throttles` lane of red ticks when anything was throttled; the time axis with
// round-number ticks (time_axis.hpp) labelled in us/ms/s/m; a legend.
// Bars narrower than a pixel that touch the previous bar of the same kind are merged, so the
// file stays small (about `width` elements per lane) however many invocations the run had.
// Output is well-formed XML (text escaped) and uses presentation attributes only, no CSS or
// scripts, so browsers, rsvg and image viewers show the same thing.
#include "emulator/sim/trace.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace lambkin::sim {

struct svg_options {
  std::string title = "lambkin simulate";
  std::string subtitle{};             ///< e.g. the scenario name or a summary line; omitted if empty
  int width = 960;                    ///< pixels, labels included (at least 300)
  int lane_height = 24;
  std::size_t max_lanes = 200;        ///< further environments are counted in a note
  std::optional<duration> until{};    ///< window end (offset from origin); default: last activity
};

/// The whole SVG document, starting with the XML declaration.
std::string render_svg_timeline(const trace& t, const svg_options& options = {});

/// `s` with & < > " ' replaced by entities (for text and attribute values).
std::string xml_escape(std::string_view s);

}  // namespace lambkin::sim
