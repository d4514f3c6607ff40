#pragma once
// The dashboard's static files, compiled into the binary (dashboard_assets.cpp is generated at
// build time from emulator/io/observe/dashboard/ by embed_assets.cmake): lambkin runs offline
// and never reads them from disk at run time.
#include <string_view>

namespace lambkin::io::observe {

struct asset {
  std::string_view name;          // file name: `index.html`, `dashboard.js`…
  std::string_view content_type;  // from the extension
  std::string_view body;
};

/// The asset with that file name, or nullptr.
const asset* find_asset(std::string_view name);

}  // namespace lambkin::io::observe
