#include "emulator/core/s3/xml.hpp"

#include "emulator/core/text/utf8.hpp"

#include <cstdint>

namespace lambkin::s3 {

std::string xml_escape(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "&#x";
          if (u >= 16) out += hex[u >> 4];
          out += hex[u & 15];
          out += ';';
        } else {
          out += c;
        }
      }
    }
  }
  return out;
}

xml_writer::xml_writer() : out_("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") {}

xml_writer& xml_writer::open(std::string_view name, std::string_view xmlns) {
  out_ += '<';
  out_ += name;
  if (!xmlns.empty()) {
    out_ += " xmlns=\"";
    out_ += xmlns;
    out_ += '"';
  }
  out_ += '>';
  open_.emplace_back(name);
  return *this;
}

xml_writer& xml_writer::close() {
  if (open_.empty()) return *this;
  out_ += "</" + open_.back() + ">";
  open_.pop_back();
  return *this;
}

xml_writer& xml_writer::element(std::string_view name, std::string_view text) {
  out_ += '<';
  out_ += name;
  out_ += '>';
  out_ += xml_escape(text);
  out_ += "</";
  out_ += name;
  out_ += '>';
  return *this;
}

std::string xml_writer::finish() {
  while (!open_.empty()) close();
  return std::move(out_);
}

const xml_element* xml_element::child(std::string_view n) const {
  for (const auto& c : children)
    if (c.name == n) return &c;
  return nullptr;
}

std::vector<const xml_element*> xml_element::all(std::string_view n) const {
  std::vector<const xml_element*> out;
  for (const auto& c : children)
    if (c.name == n) out.push_back(&c);
  return out;
}

namespace {

class reader {
 public:
  explicit reader(std::string_view doc) : s_(doc) {}

  std::optional<xml_element> document() {
    skip_misc();
    if (!at('<')) return std::nullopt;
    auto root = element(0);
    if (!root) return std::nullopt;
    skip_misc();
    if (p_ != s_.size()) return std::nullopt;
    return root;
  }

 private:
  static constexpr int max_depth = 64;

  bool at(char c) const { return p_ < s_.size() && s_[p_] == c; }
  bool starts(std::string_view t) const { return s_.substr(p_).starts_with(t); }
  void skip_space() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\r' || s_[p_] == '\n')) ++p_;
  }
  bool skip_past(std::string_view t) {
    const auto e = s_.find(t, p_);
    if (e == std::string_view::npos) return false;
    p_ = e + t.size();
    return true;
  }
  // Whitespace, `<?…?>`, comments and DOCTYPE between elements.
  void skip_misc() {
    for (;;) {
      skip_space();
      if (starts("<?")) {
        if (!skip_past("?>")) return;
      } else if (starts("<!--")) {
        if (!skip_past("-->")) return;
      } else if (starts("<!DOCTYPE")) {
        if (!skip_past(">")) return;
      } else {
        return;
      }
    }
  }

  std::optional<std::string> name() {
    const std::size_t b = p_;
    while (p_ < s_.size() && s_[p_] != '>' && s_[p_] != '/' && s_[p_] != ' ' && s_[p_] != '\t' && s_[p_] != '\r' &&
           s_[p_] != '\n')
      ++p_;
    if (p_ == b) return std::nullopt;
    std::string_view n = s_.substr(b, p_ - b);
    if (auto colon = n.find(':'); colon != std::string_view::npos) n = n.substr(colon + 1);
    return std::string(n);
  }

  // Text up to the next '<', entities decoded; false on an unknown entity.
  bool text(std::string& out) {
    while (p_ < s_.size() && s_[p_] != '<') {
      if (s_[p_] != '&') {
        out += s_[p_++];
        continue;
      }
      const auto semi = s_.find(';', p_);
      if (semi == std::string_view::npos || semi - p_ > 12) return false;
      const std::string_view ent = s_.substr(p_ + 1, semi - p_ - 1);
      p_ = semi + 1;
      if (ent == "amp") out += '&';
      else if (ent == "lt") out += '<';
      else if (ent == "gt") out += '>';
      else if (ent == "quot") out += '"';
      else if (ent == "apos") out += '\'';
      else if (ent.size() > 1 && ent[0] == '#') {
        std::uint32_t cp = 0;
        const bool hex = ent[1] == 'x' || ent[1] == 'X';
        const std::string_view digits = ent.substr(hex ? 2 : 1);
        if (digits.empty()) return false;
        for (char c : digits) {
          int d;
          if (c >= '0' && c <= '9') d = c - '0';
          else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
          else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
          else return false;
          cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
          if (cp > 0x10FFFF) return false;
        }
        text::append_utf8(out, cp);
      } else {
        return false;
      }
    }
    return true;
  }

  std::optional<xml_element> element(int depth) {
    if (depth > max_depth || !at('<')) return std::nullopt;
    ++p_;
    xml_element e;
    auto n = name();
    if (!n) return std::nullopt;
    e.name = std::move(*n);
    // Attributes are skipped (S3's request bodies carry only xmlns); quoted '>' is respected.
    char quote = 0;
    while (p_ < s_.size()) {
      const char c = s_[p_];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>' || c == '/') {
        break;
      }
      ++p_;
    }
    if (starts("/>")) {
      p_ += 2;
      return e;
    }
    if (!at('>')) return std::nullopt;
    ++p_;
    for (;;) {
      if (!text(e.text)) return std::nullopt;
      if (p_ >= s_.size()) return std::nullopt;
      if (starts("</")) {
        p_ += 2;
        auto closing = name();
        skip_space();
        if (!closing || *closing != e.name || !at('>')) return std::nullopt;
        ++p_;
        return e;
      }
      if (starts("<!--")) {
        if (!skip_past("-->")) return std::nullopt;
      } else if (starts("<![CDATA[")) {
        const auto b = p_ + 9;
        if (!skip_past("]]>")) return std::nullopt;
        e.text += s_.substr(b, p_ - 3 - b);
      } else if (starts("<?")) {
        if (!skip_past("?>")) return std::nullopt;
      } else {
        auto c = element(depth + 1);
        if (!c) return std::nullopt;
        e.children.push_back(std::move(*c));
      }
    }
  }

  std::string_view s_;
  std::size_t p_ = 0;
};

}  // namespace

std::optional<xml_element> parse_xml(std::string_view doc) { return reader(doc).document(); }

}  // namespace lambkin::s3
