// Launcher environment variables, in the order of precedence the launchers document.
#include "launch/launcher_env.hpp"

#include <cstdlib>
#include <initializer_list>

#include "launch/allocation.hpp"

namespace fanout {

int launcher_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"}) {
    if (const int r = parse_env_count(std::getenv(name)); r >= 0) return r;
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
