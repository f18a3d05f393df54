// collect_environment: each rank's affinity gathered to rank 0, plus what rank 0 knows locally.
#include "mpi/environment.hpp"

#include <mpi.h>
#include <omp.h>
#include <sched.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <ctime>

#include "cli/build_info.hpp"
#include "launch/allocation.hpp"
#include "launch/host.hpp"
#include "mpi/gather.hpp"
#include "mpi/mpi_lock.hpp"
#include "timing/clock.hpp"

namespace fanout {

namespace {

std::string env_or_unset(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string("unset");
}

std::string mpi_library_version() {
  char text[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int len = 0;
  {
    mpi::MpiGuard lock(mpi::mpi_mutex());
    MPI_Get_library_version(text, &len);
  }
  // Open MPI counts the terminating NUL in len; stop at the first one.
  std::string s(text, strnlen(text, static_cast<std::size_t>(len)));
  if (const auto nl = s.find_first_of("\r\n"); nl != std::string::npos) s.resize(nl);
  while (!s.empty() && (s.back() == ' ' || s.back() == ',')) s.pop_back();
  return s;
}

/// Per rank "bound" (its mask misses some online cores of its node) and its core list, gathered.
/// Every rank free to use every core of its node, all with the same list: "unbound: every rank
/// may use cores L". Otherwise one "rank R: cores L" per rank, so pinning (and ranks pinned to the
/// same core) shows.
std::string describe_binding(World& world, const std::vector<int>& cpus) {
  const bool bound = static_cast<int>(cpus.size()) < online_cores();
  const auto all = gather_strings(world, {bound ? "1" : "0", compact_cpu_list(cpus)});
  if (!world.is_root()) return {};
  bool any_bound = false;
  bool same = true;
  for (std::size_t i = 0; i + 1 < all.size(); i += 2) {
    any_bound = any_bound || all[i] == "1";
    same = same && all[i + 1] == all[1];
  }
  if (!any_bound && same) return "unbound: every rank may use cores " + all[1];
  std::string out;
  for (std::size_t i = 0; i + 1 < all.size(); i += 2) {
    if (!out.empty()) out += "; ";
    out += "rank " + std::to_string(i / 2) + ": cores " + all[i + 1];
  }
  return out;
}

}  // namespace

std::string compact_cpu_list(const std::vector<int>& sorted_cpus) {
  std::string out;
  for (std::size_t i = 0; i < sorted_cpus.size();) {
    std::size_t j = i;
    while (j + 1 < sorted_cpus.size() && sorted_cpus[j + 1] == sorted_cpus[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(sorted_cpus[i]);
    if (j > i) out += '-' + std::to_string(sorted_cpus[j]);
    i = j + 1;
  }
  return out.empty() ? "none" : out;
}

Environment collect_environment(World& world, const std::string& command_line) {
  Environment env;
  env.hosts = world.hosts();
  env.world_size = world.size();
  env.nodes = world.node_count();
  env.cores_per_node = online_cores();
  const std::vector<int> cores = gather_values(world, env.cores_per_node);
  for (std::size_t r = 0; r < cores.size() && r < env.hosts.size(); ++r) {
    env.cores_by_host[env.hosts[r]] = cores[r];
  }
  const auto cpus = affinity_cpus();
  env.cores_available = static_cast<int>(cpus.size());
  env.binding = describe_binding(world, cpus);
  env.mpi_library = mpi_library_version();
  env.compiler = kCompiler;
  env.openmp = "OMP_NUM_THREADS=" + env_or_unset("OMP_NUM_THREADS") +
               ", OMP_PROC_BIND=" + env_or_unset("OMP_PROC_BIND") +
               ", OMP_PLACES=" + env_or_unset("OMP_PLACES") +
               ", omp_get_max_threads()=" + std::to_string(omp_get_max_threads());
  env.fanout_version = FANOUT_VERSION;
  env.started_at = utc_now_iso8601();
  env.command_line = command_line;
  env.allocation = describe_allocation(detect_allocation());
  return env;
}

}  // namespace fanout
