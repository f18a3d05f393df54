// Launcher environment variables, in the order of precedence the launchers document.
#include "app/launch_env.hpp"

#include <cstdlib>
#include <initializer_list>

namespace fanout {
namespace {

int env_int(const char* v) {
  if (!v || !*v) return -1;
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  return (*end == '\0' && n >= 0 && n < (1L << 30)) ? static_cast<int>(n) : -1;
}

}  // namespace

int launcher_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"}) {
    if (const int r = env_int(std::getenv(name)); r >= 0) return r;
  }
  return 0;
}

bool started_by_launcher() {
  // A batch script has SLURM_PROCID=0 but no SLURM_STEP_ID; a task of an srun step has both.
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "SLURM_STEP_ID"}) {
    if (std::getenv(name)) return true;
  }
  return false;
}

}  // namespace fanout
