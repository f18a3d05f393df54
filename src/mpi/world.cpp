// World: MPI init/finalize, node discovery, and the collectives, each a nonblocking call waited on
// idly.
#include "mpi/world.hpp"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <utility>
#include <vector>

#include "launch/host.hpp"
#include "launch/launcher_env.hpp"
#include "mpi/check.hpp"
#include "mpi/mpi_lock.hpp"
#include "mpi/world_impl.hpp"

namespace fanout {

namespace {

using mpi::check_mpi;
using mpi::mpi_mutex;
using mpi::MpiGuard;
using mpi::run_idle;
using mpi::wait_idle;

/// Bytes per host name in the gather of every rank's name (longer names are cut).
constexpr int kHostBytes = 256;

void barrier_idle(MPI_Comm comm) {
  run_idle([&](MPI_Request* r) { return MPI_Ibarrier(comm, r); }, "MPI_Ibarrier");
}

/// Broadcasts `s` from `root` in pieces that fit an int count.
void bcast_bytes(MPI_Comm comm, std::string& s, int root) {
  std::uint64_t len = s.size();
  run_idle([&](MPI_Request* r) { return MPI_Ibcast(&len, 1, MPI_UINT64_T, root, comm, r); },
           "MPI_Ibcast");
  s.resize(len);
  constexpr std::uint64_t kPiece = 1ull << 30;
  for (std::uint64_t off = 0; off < len; off += kPiece) {
    const int n = static_cast<int>(std::min(kPiece, len - off));
    run_idle([&](MPI_Request* r) { return MPI_Ibcast(s.data() + off, n, MPI_CHAR, root, comm, r); },
             "MPI_Ibcast");
  }
}

/// Node layout and host names: collectives, run after the constructor released the MPI lock.
void discover_nodes(World::Impl& m) {
  // Ranks start at different times; meeting in an idle barrier first keeps the blocking
  // MPI_Comm_split_type (it has no nonblocking form) short.
  barrier_idle(m.comm);
  {
    MpiGuard lock(mpi_mutex());
    check_mpi(
        MPI_Comm_split_type(m.comm, MPI_COMM_TYPE_SHARED, m.rank, MPI_INFO_NULL, &m.node_comm),
        "MPI_Comm_split_type");
    MPI_Comm_rank(m.node_comm, &m.node_rank);
    MPI_Comm_size(m.node_comm, &m.node_size);
  }
  // Keyed by world rank, so node rank 0 is the node's lowest world rank: its leader.
  int leader = m.rank;
  run_idle([&](MPI_Request* r) { return MPI_Ibcast(&leader, 1, MPI_INT, 0, m.node_comm, r); },
           "MPI_Ibcast");
  std::vector<int> leaders(static_cast<std::size_t>(m.size));
  run_idle(
      [&](MPI_Request* r) {
        return MPI_Iallgather(&leader, 1, MPI_INT, leaders.data(), 1, MPI_INT, m.comm, r);
      },
      "MPI_Iallgather");
  std::sort(leaders.begin(), leaders.end());
  leaders.erase(std::unique(leaders.begin(), leaders.end()), leaders.end());
  m.node_count = static_cast<int>(leaders.size());
  m.node_index =
      static_cast<int>(std::lower_bound(leaders.begin(), leaders.end(), leader) - leaders.begin());

  std::vector<char> mine(kHostBytes, '\0');
  std::copy_n(m.host.begin(), std::min<std::size_t>(m.host.size(), kHostBytes - 1), mine.begin());
  std::vector<char> all(static_cast<std::size_t>(m.size) * kHostBytes);
  run_idle(
      [&](MPI_Request* r) {
        return MPI_Iallgather(mine.data(), kHostBytes, MPI_CHAR, all.data(), kHostBytes, MPI_CHAR,
                              m.comm, r);
      },
      "MPI_Iallgather");
  m.hosts.clear();
  for (int r = 0; r < m.size; ++r)
    m.hosts.emplace_back(all.data() + static_cast<std::size_t>(r) * kHostBytes);
}

/// Open MPI's settings for a process no launcher started (a singleton): no daemon beside it
/// (orted, there for MPI_Comm_spawn, which fanout never calls) and only what one process needs
/// (ob1 over self, not UCX): about 0.3 s of every run without mpirun. Each is set only where the
/// user set nothing, and unset once MPI is up, so that no command fanout starts inherits it.
class SingletonSettings {
 public:
  SingletonSettings() {
    if (started_by_launcher()) return;
    for (const auto& [name, value] :
         {std::pair{"OMPI_MCA_ess_singleton_isolated", "1"}, std::pair{"OMPI_MCA_pml", "ob1"},
          std::pair{"OMPI_MCA_btl", "self"}}) {
      if (std::getenv(name) == nullptr && ::setenv(name, value, 0) == 0) set_.push_back(name);
    }
  }
  ~SingletonSettings() {
    for (const char* name : set_) ::unsetenv(name);
  }
  SingletonSettings(const SingletonSettings&) = delete;
  SingletonSettings& operator=(const SingletonSettings&) = delete;

 private:
  std::vector<const char*> set_;
};

}  // namespace

World::World(int* argc, char*** argv) : impl_(std::make_unique<Impl>()) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (initialized)
    throw std::runtime_error("MPI is already initialised; create one World per process");
  int provided = MPI_THREAD_SINGLE;
  {
    const SingletonSettings singleton;
    check_mpi(MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
  }
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    throw std::runtime_error("the MPI library does not provide MPI_THREAD_SERIALIZED");
  }
  auto& m = *impl_;
  {
    MpiGuard lock(mpi_mutex());
    check_mpi(MPI_Comm_dup(MPI_COMM_WORLD, &m.comm), "MPI_Comm_dup");
    MPI_Comm_rank(m.comm, &m.rank);
    MPI_Comm_size(m.comm, &m.size);
  }
  m.host = host_name();
  discover_nodes(m);
}

World::~World() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  MpiGuard lock(mpi_mutex());
  if (impl_->node_comm != MPI_COMM_NULL) MPI_Comm_free(&impl_->node_comm);
  if (impl_->comm != MPI_COMM_NULL) MPI_Comm_free(&impl_->comm);
  MPI_Finalize();
}

int World::rank() const { return impl_->rank; }
int World::size() const { return impl_->size; }
const std::string& World::host() const { return impl_->host; }
const std::vector<std::string>& World::hosts() const { return impl_->hosts; }
int World::node_index() const { return impl_->node_index; }
int World::node_count() const { return impl_->node_count; }
int World::node_rank() const { return impl_->node_rank; }
int World::node_size() const { return impl_->node_size; }

void World::idle_barrier() { barrier_idle(impl_->comm); }

void World::sync_barrier() {
  mpi::MpiGuard lock(mpi::mpi_mutex());
  mpi::check_mpi(MPI_Barrier(impl_->comm), "MPI_Barrier");
}

std::vector<std::uint64_t> World::reduce_sum(const std::vector<std::uint64_t>& v) {
  FANOUT_CHECK(v.size() <= static_cast<std::size_t>(INT_MAX),
               "reduce_sum: vector too long for one MPI call");
  std::vector<std::uint64_t> out(v);
  const int n = static_cast<int>(v.size());
  run_idle(
      [&](MPI_Request* r) {
        return MPI_Ireduce(v.data(), out.data(), n, MPI_UINT64_T, MPI_SUM, 0, impl_->comm, r);
      },
      "MPI_Ireduce");
  return out;
}

std::string World::bcast_string(const std::string& from_root) {
  std::string s = impl_->rank == 0 ? from_root : std::string();
  bcast_bytes(impl_->comm, s, 0);
  return s;
}

int World::agree_max(int mine) {
  int out = mine;
  run_idle(
      [&](MPI_Request* r) {
        return MPI_Iallreduce(&mine, &out, 1, MPI_INT, MPI_MAX, impl_->comm, r);
      },
      "MPI_Iallreduce");
  return out;
}

std::optional<std::string> World::agree_error(const std::optional<std::string>& mine) {
  int candidate = mine ? impl_->rank : impl_->size;
  int lowest = candidate;
  run_idle(
      [&](MPI_Request* r) {
        return MPI_Iallreduce(&candidate, &lowest, 1, MPI_INT, MPI_MIN, impl_->comm, r);
      },
      "MPI_Iallreduce");
  if (lowest == impl_->size) return std::nullopt;
  std::string message = impl_->rank == lowest ? *mine : std::string();
  bcast_bytes(impl_->comm, message, lowest);
  return message;
}

void World::abort_job(const std::string& line, int exit_code) {
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
  // Without the lock, as FANOUT_CHECK does: a thread of this rank may be inside MPI (the stop
  // relay, the dispatcher), and waiting for it could be waiting forever.
  MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::abort();
}

}  // namespace fanout
