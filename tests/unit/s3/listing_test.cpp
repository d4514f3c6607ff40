#include "emulator/core/s3/object_listing.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace lambkin::s3;

namespace {

const std::vector<std::string> keys{"a.txt", "dir/", "dir/1.txt", "dir/2.txt", "dir/sub/3.txt", "docs/x",
                                    "logs/2024/01", "logs/2024/02", "z"};

struct page {
  std::vector<std::string> contents, prefixes;
  bool truncated;
  std::string next;
};

// Offers the keys in order from the page's seek position, as the shell does with SQLite.
page list(listing_params p) {
  listing_page lp(std::move(p));
  page out;
  for (const auto& k : keys) {
    if (lp.inclusive_seek() ? k < lp.seek() : k <= lp.seek()) continue;
    const auto v = lp.offer(k);
    if (v == listing_page::verdict::stop) break;
    if (v == listing_page::verdict::listed) out.contents.push_back(k);
  }
  out.prefixes = lp.common_prefixes();
  out.truncated = lp.truncated();
  out.next = lp.last_listed();
  return out;
}

}  // namespace

TEST_CASE("without a delimiter every key under the prefix is listed, in order") {
  auto all = list({});
  CHECK(all.contents == keys);
  CHECK_FALSE(all.truncated);
  auto logs = list({"logs/", "", 1000, ""});
  CHECK(logs.contents == std::vector<std::string>{"logs/2024/01", "logs/2024/02"});
}

TEST_CASE("a delimiter folds keys into common prefixes, each counted once") {
  auto top = list({"", "/", 1000, ""});
  CHECK(top.contents == std::vector<std::string>{"a.txt", "z"});
  CHECK(top.prefixes == std::vector<std::string>{"dir/", "docs/", "logs/"});
  auto dir = list({"dir/", "/", 1000, ""});
  CHECK(dir.contents == std::vector<std::string>{"dir/", "dir/1.txt", "dir/2.txt"});
  CHECK(dir.prefixes == std::vector<std::string>{"dir/sub/"});
}

TEST_CASE("max-keys pages through keys and common prefixes with a continuation marker") {
  listing_params p{"", "/", 2, ""};
  auto first = list(p);
  CHECK(first.contents == std::vector<std::string>{"a.txt"});
  CHECK(first.prefixes == std::vector<std::string>{"dir/"});
  CHECK(first.truncated);
  CHECK(first.next == "dir/");
  p.marker = first.next;
  auto second = list(p);  // resumes after everything under dir/
  CHECK(second.contents.empty());
  CHECK(second.prefixes == std::vector<std::string>{"docs/", "logs/"});
  CHECK(second.truncated);
  p.marker = second.next;
  auto third = list(p);
  CHECK(third.contents == std::vector<std::string>{"z"});
  CHECK_FALSE(third.truncated);
}

TEST_CASE("a marker before the prefix starts at the prefix, max-keys 0 lists nothing") {
  auto p = list({"logs/", "", 1000, "b"});
  CHECK(p.contents.size() == 2);
  auto none = list({"", "", 0, ""});
  CHECK(none.contents.empty());
  CHECK_FALSE(none.truncated);
}

TEST_CASE("max-keys and encoding-type=url") {
  CHECK(parse_max_keys("10") == 10u);
  CHECK(parse_max_keys("5000") == 1000u);
  CHECK_FALSE(parse_max_keys("-1"));
  CHECK_FALSE(parse_max_keys("ten"));
  CHECK(url_encode_for_listing("a b+c/ü~") == "a%20b%2Bc/%C3%BC~");
}
