// Launcher environment variables, in the order of precedence the launchers document.
#include "app/launch_env.hpp"

#include <cstdlib>
#include <string>

namespace fanout {
namespace {

int env_int(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return -1;
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  return (*end == '\0' && n >= 0 && n < (1L << 30)) ? static_cast<int>(n) : -1;
}

}  // namespace

int launcher_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"}) {
    if (const int r = env_int(name); r >= 0) return r;
  }
  return 0;
}

}  // namespace fanout
