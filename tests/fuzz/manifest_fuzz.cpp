// Fuzz target: reading a study's submit.json (what status and collect start from).
#include <cstdint>
#include <string>

#include "batch/manifest.hpp"
#include "cli/config_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)fanout::parse_manifest(text, "submit.json", "/tmp/study");
  } catch (const fanout::ConfigError&) {
  }
  return 0;
}
