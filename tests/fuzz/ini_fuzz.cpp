// Fuzz target: the INI reader of job files. Bad input must be a ConfigError, never a crash, and
// whatever it accepts keeps its invariants (keys of names, increasing lines).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cli/config_error.hpp"
#include "cli/ini_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto entries = fanout::parse_ini(text, "fuzz.ini");
    int last = 0;
    for (const auto& e : entries) {
      if (e.key.empty() || e.line <= last) std::abort();
      if (e.value.find('\n') != std::string::npos) std::abort();
      last = e.line;
    }
  } catch (const fanout::ConfigError&) {
  }
  return 0;
}
