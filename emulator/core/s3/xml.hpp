#pragma once
// The little XML S3 speaks: a writer for its response documents and a reader for the request
// bodies it takes (CompleteMultipartUpload, Delete, CreateBucketConfiguration). The reader keeps
// elements and their text; attributes, comments, processing instructions and DOCTYPEs are skipped.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lambkin::s3 {

/// `&`, `<`, `>`, `"` and `'` as entities; control characters other than tab/CR/LF as `&#xN;`.
std::string xml_escape(std::string_view s);

class xml_writer {
 public:
  /// Starts with `<?xml version="1.0" encoding="UTF-8"?>`.
  xml_writer();
  /// `<name>` (with ` xmlns="…"` when `xmlns` is non-empty); `close` ends the innermost one.
  xml_writer& open(std::string_view name, std::string_view xmlns = {});
  xml_writer& close();
  /// `<name>escaped text</name>`.
  xml_writer& element(std::string_view name, std::string_view text);
  std::string finish();

 private:
  std::string out_;
  std::vector<std::string> open_;
};

/// An element of a parsed document: its local name (any `prefix:` dropped), its text (entities
/// decoded; text of children not included) and its children in order.
struct xml_element {
  std::string name;
  std::string text;
  std::vector<xml_element> children;

  /// The first child called `name`, or nullptr.
  const xml_element* child(std::string_view name) const;
  /// Every child called `name`.
  std::vector<const xml_element*> all(std::string_view name) const;
};

/// The root element of `doc`, or nullopt when it is not well-formed enough to read.
std::optional<xml_element> parse_xml(std::string_view doc);

}  // namespace lambkin::s3
