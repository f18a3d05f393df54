// Fuzz target: a URL file's lines and the URL check every entry passes through.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "workload/io/url_plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const fanout::UrlLine& entry : fanout::url_file_lines(text)) {
    if (entry.url.empty() || entry.url.front() == '#') std::abort();
    (void)fanout::check_http_url(entry.url);
  }
  return 0;
}
