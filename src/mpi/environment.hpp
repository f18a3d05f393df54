// Where and how a measurement ran: hosts, cores, binding, MPI and OpenMP settings.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "mpi/world.hpp"

namespace fanout {

/// Where and how the measurement ran.
struct Environment {
  std::vector<std::string> hosts;  ///< per rank
  int world_size = 1;
  int nodes = 1;
  int cores_per_node = 0;  ///< online cores of rank 0's node
  /// Online cores of every node, by host name (each rank's node as it reports it), so that
  /// oversubscription is judged per node.
  std::map<std::string, int> cores_by_host;
  int cores_available = 0;  ///< cores in rank 0's affinity mask (binding)
  std::string binding;      ///< e.g. "rank 0 bound to cores 0-1" or "unbound"
  std::string mpi_library;  ///< MPI_Get_library_version, first line
  std::string compiler;     ///< e.g. "g++ 12.2.0"
  std::string openmp;       ///< OMP_NUM_THREADS, OMP_PROC_BIND, OMP_PLACES, omp_get_max_threads
  std::string fanout_version;
  std::string started_at;  ///< ISO 8601, UTC
  std::string command_line;
  double clock_resolution_s = 0;  ///< Clock's observed resolution (timing/clock.hpp); 0 = unknown
  /// The batch allocation the run was in, e.g. "Slurm job 18: 1 node, 2 tasks, 1 CPU per task";
  /// "" outside one.
  std::string allocation;
};

/// Collective; meant for rank 0, where it is complete: hosts, world size, nodes, rank 0's online
/// cores and affinity, every node's cores, every rank's binding, library versions, OpenMP settings,
/// start time (UTC) and `command_line`. Other ranks get their own cores and settings and an empty
/// `binding`.
Environment collect_environment(World& world, const std::string& command_line);

/// Compact list of CPU ids, e.g. {0,1,2,5,7,8} -> "0-2,5,7-8"; for tests and reports.
std::string compact_cpu_list(const std::vector<int>& sorted_cpus);

}  // namespace fanout
