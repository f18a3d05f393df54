// World: the MPI environment of one process (RAII init/finalize) and the collectives the program
// uses.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fanout {

/// MPI initialised with MPI_THREAD_SERIALIZED for the lifetime of the object; one per process.
/// No MPI type appears here, so callers outside src/mpi need not include <mpi.h>.
/// Every wait that can be long is a nonblocking call polled with MPI_Test and a sleeping back-off
/// (20 us doubling to 1 ms): Open MPI busy-polls in blocking calls, and ranks that wait while
/// rank 0 measures would otherwise burn the cores it measures on.
/// Collective methods must be called by every rank in the same order. Reductions and gathers
/// deliver their result on rank 0 (the root); other ranks get their local value back.
class World {
 public:
  /// Initialises MPI (argc/argv may be null). Throws std::runtime_error if MPI provides less
  /// than MPI_THREAD_SERIALIZED or is already initialised.
  World(int* argc, char*** argv);
  /// MPI_Finalize, unless something already finalised MPI.
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  int rank() const;
  int size() const;
  bool is_root() const { return rank() == 0; }
  /// Short host name of this rank (up to the first dot).
  const std::string& host() const;
  /// Host of every rank, indexed by rank (gathered once at start).
  const std::vector<std::string>& hosts() const;
  /// Nodes are the groups of ranks that share memory (MPI_Comm_split_type SHARED), numbered by
  /// their lowest world rank: the node of rank 0 is node 0.
  int node_index() const;
  int node_count() const;
  /// This rank's index among the ranks of its node, and how many ranks the node has.
  int node_rank() const;
  int node_size() const;

  /// Barrier that sleeps while it waits (collective).
  void idle_barrier();
  /// Blocking MPI_Barrier: exact, but Open MPI busy-polls inside it. Call it right after
  /// idle_barrier(), when every rank has already arrived, to line up a common start (collective).
  void sync_barrier();
  /// Element-wise sum to rank 0, e.g. latency histograms; every rank passes the same length.
  std::vector<std::uint64_t> reduce_sum(const std::vector<std::uint64_t>& v);
  /// Rank 0's `from_root` on every rank (collective; other ranks' arguments are ignored).
  std::string bcast_string(const std::string& from_root);
  /// Collective: the largest of every rank's `mine`, on every rank (e.g. a stop signal one rank
  /// received, so that all ranks leave a loop of collectives together).
  int agree_max(int mine);
  /// Collective: if any rank passes an error, every rank returns the message of the lowest rank
  /// that had one; otherwise nullopt everywhere. Lets all ranks fail alike while rank 0 prints.
  std::optional<std::string> agree_error(const std::optional<std::string>& mine);

  /// Not collective: prints `line` on stderr and ends every rank of the job (MPI_Abort with
  /// `exit_code`). For an error only this rank knows of, which would otherwise leave the other
  /// ranks waiting for it in their next collective.
  [[noreturn]] void abort_job(const std::string& line, int exit_code);

  /// The MPI handles, for the rest of src/mpi (defined in mpi/world_impl.hpp).
  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace fanout
