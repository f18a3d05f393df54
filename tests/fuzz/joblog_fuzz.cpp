// Fuzz target: reading a joblog (fanout's own or GNU parallel's) as --resume does.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cli/config_error.hpp"
#include "scratch_file.hpp"
#include "workload/shell/joblog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = fanout::fuzz::scratch_file(data, size);
  try {
    std::uint64_t seen = 0;
    const std::uint64_t held =
        fanout::read_joblog(path, [&](const fanout::JoblogEntry& entry, const std::string&) {
          if (entry.seq == 0) std::abort();
          ++seen;
        });
    if (held != seen) std::abort();
  } catch (const fanout::ConfigError&) {
  }
  return 0;
}
