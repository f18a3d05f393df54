// Internal to src/mpi: World's MPI state, for the files that talk MPI on its behalf.
#pragma once

#include <mpi.h>

#include <string>
#include <vector>

#include "mpi/world.hpp"

namespace fanout {

struct World::Impl {
  MPI_Comm comm = MPI_COMM_NULL;       ///< a duplicate of MPI_COMM_WORLD, private to fanout
  MPI_Comm node_comm = MPI_COMM_NULL;  ///< the ranks sharing this rank's node
  int rank = 0;
  int size = 1;
  int node_index = 0;
  int node_count = 1;
  int node_rank = 0;
  int node_size = 1;
  std::string host;
  std::vector<std::string> hosts;
};

}  // namespace fanout
