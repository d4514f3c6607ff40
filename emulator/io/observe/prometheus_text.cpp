#include "emulator/io/observe/prometheus_text.hpp"

#include <charconv>
#include <cmath>

namespace lambkin::io::observe {

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

void prometheus_text::family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  for (const char c : help) {  // HELP escapes only backslash and newline
    if (c == '\\') out_ += "\\\\";
    else if (c == '\n') out_ += "\\n";
    else out_ += c;
  }
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void prometheus_text::labels(label_list labels, std::string_view le) {
  if (labels.size() == 0 && le.empty()) return;
  out_ += '{';
  bool first = true;
  auto add = [&](std::string_view k, std::string_view v) {
    if (!first) out_ += ',';
    first = false;
    out_ += k;
    out_ += "=\"";
    for (const char c : v) {
      if (c == '\\') out_ += "\\\\";
      else if (c == '"') out_ += "\\\"";
      else if (c == '\n') out_ += "\\n";
      else out_ += c;
    }
    out_ += '"';
  };
  for (const auto& [k, v] : labels) add(k, v);
  if (!le.empty()) add("le", le);
  out_ += '}';
}

void prometheus_text::sample(std::string_view name, label_list l, double value) {
  out_ += name;
  labels(l);
  out_ += ' ';
  out_ += format_value(value);
  out_ += '\n';
}

void prometheus_text::histogram(std::string_view name, label_list l, const seconds_histogram& h) {
  const std::string bucket = std::string(name) + "_bucket";
  for (std::size_t i = 0; i < seconds_histogram::bounds.size(); ++i) {
    out_ += bucket;
    labels(l, format_value(seconds_histogram::bounds[i]));
    out_ += ' ' + format_value(static_cast<double>(h.cumulative(i))) + '\n';
  }
  out_ += bucket;
  labels(l, "+Inf");
  out_ += ' ' + format_value(static_cast<double>(h.count())) + '\n';
  sample(std::string(name) + "_sum", l, h.sum());
  sample(std::string(name) + "_count", l, static_cast<double>(h.count()));
}

}  // namespace lambkin::io::observe
