// check_failed: report a broken invariant and take every rank down with it.
#include "mpi/check.hpp"

#include <mpi.h>

#include <cstdio>
#include <cstdlib>

namespace fanout {

void check_failed(const char* file, int line, std::string_view msg) {
  std::fprintf(stderr, "fanout: internal error: %s:%d: %.*s\n", file, line,
               static_cast<int>(msg.size()), msg.data());
  std::fflush(stderr);
  int initialized = 0;
  int finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  // Without MPI_Abort the other ranks would wait forever in their next collective. This may break
  // MPI_THREAD_SERIALIZED if another thread is inside MPI, which is acceptable on the way down.
  if (initialized && !finalized) MPI_Abort(MPI_COMM_WORLD, 70);
  std::abort();
}

}  // namespace fanout
