// Where and how a measurement ran: hosts, cores, binding, MPI and OpenMP settings.
#pragma once

#include <string>
#include <vector>

#include "dist/world.hpp"
#include "report/run_report.hpp"

namespace fanout {

/// Collective; meant for rank 0, where it is complete: hosts, world size, nodes, rank 0's online
/// cores and affinity, every rank's binding, library versions, OpenMP settings, start time (UTC)
/// and `command_line`. Other ranks get their own cores and settings and an empty `binding`.
Environment collect_environment(World& world, const std::string& command_line);

/// Compact list of CPU ids, e.g. {0,1,2,5,7,8} -> "0-2,5,7-8"; for tests and reports.
std::string compact_cpu_list(const std::vector<int>& sorted_cpus);

}  // namespace fanout
