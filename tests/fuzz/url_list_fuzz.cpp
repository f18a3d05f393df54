// Fuzz target: a URL file's lines, their columns (URL [NAME] [size:BYTES] [sha256:HEX|md5:HEX]),
// the URL check and the download name every entry passes through.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "workload/io/url_entry.hpp"
#include "workload/io/url_plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const fanout::UrlLine& entry : fanout::url_file_lines(text)) {
    if (entry.url.empty() || entry.url.front() == '#') std::abort();
    fanout::UrlEntry parsed;
    if (!fanout::parse_url_columns(entry.url, parsed).empty()) continue;
    (void)fanout::check_http_url(parsed.url);
    // Whatever name a parsed entry gets must be one a file can have.
    if (!fanout::check_output_name(fanout::download_name(parsed)).empty() && parsed.name.empty()) {
      std::abort();
    }
  }
  return 0;
}
