// Fuzz target: a SHA256SUMS / MD5SUMS manifest beside a URL list (io.checksums).
#include <cstdint>
#include <string>

#include "cli/config_error.hpp"
#include "scratch_file.hpp"
#include "workload/io/checksum_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)fanout::read_checksum_manifest(fanout::fuzz::scratch_file(data, size));
  } catch (const fanout::ConfigError&) {
  }
  return 0;
}
