// collect_environment under mpirun: the fields rank 0 reports, unbound and with ranks pinned.
#include "mpi/environment.hpp"

#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <cctype>
#include <cstring>
#include <string>
#include <vector>

#include "cli/build_info.hpp"
#include "mpi_test.hpp"

namespace fanout {
namespace {

using test::world;

/// "YYYY-MM-DDTHH:MM:SSZ"
bool is_utc_iso8601(const std::string& s) {
  const std::string shape = "0000-00-00T00:00:00Z";
  if (s.size() != shape.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (shape[i] == '0' ? !std::isdigit(static_cast<unsigned char>(s[i])) : s[i] != shape[i])
      return false;
  }
  return true;
}

TEST(Environment, Fields) {
  auto& w = world();
  const auto env = collect_environment(w, "fanout run job.ini");
  EXPECT_EQ(env.hosts, w.hosts());
  EXPECT_EQ(env.world_size, w.size());
  EXPECT_EQ(env.nodes, w.node_count());
  EXPECT_EQ(env.cores_per_node, sysconf(_SC_NPROCESSORS_ONLN));
  EXPECT_GE(env.cores_available, 1);
  EXPECT_LE(env.cores_available, env.cores_per_node);
  EXPECT_NE(env.mpi_library.find("MPI"), std::string::npos) << env.mpi_library;
  EXPECT_EQ(env.mpi_library.find('\n'), std::string::npos);
  EXPECT_EQ(env.mpi_library.find('\0'), std::string::npos)
      << "a NUL byte would end up in the table and the JSON";
  EXPECT_EQ(env.compiler, kCompiler);
  EXPECT_TRUE(env.compiler.starts_with("g++ ") || env.compiler.starts_with("clang++ "))
      << env.compiler;
  const auto omp_fields = {
      "OMP_NUM_THREADS=", ", OMP_PROC_BIND=", ", OMP_PLACES=", ", omp_get_max_threads()="};
  std::size_t at = 0;
  for (const char* field : omp_fields) {
    at = env.openmp.find(field, at);
    ASSERT_NE(at, std::string::npos) << field << " missing in " << env.openmp;
  }
  EXPECT_GE(std::stoi(env.openmp.substr(at + std::strlen(", omp_get_max_threads()="))), 1);
  EXPECT_EQ(env.fanout_version, FANOUT_VERSION);
  EXPECT_TRUE(is_utc_iso8601(env.started_at)) << env.started_at;
  EXPECT_EQ(env.command_line, "fanout run job.ini");
  if (w.is_root()) {
    // The tests run under mpirun --bind-to none; a container's cpuset may still restrict every
    // rank.
    if (env.cores_available == env.cores_per_node) {
      EXPECT_EQ(env.binding,
                "unbound: every rank may use cores 0-" + std::to_string(env.cores_per_node - 1));
    } else {
      EXPECT_EQ(env.binding.rfind("rank 0: cores ", 0), 0u) << env.binding;
    }
  } else {
    EXPECT_EQ(env.binding, "");
  }
}

TEST(Environment, PinnedRanksAreListedOneByOne) {
  auto& w = world();
  cpu_set_t saved;
  ASSERT_EQ(sched_getaffinity(0, sizeof saved, &saved), 0);
  std::vector<int> allowed;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &saved)) allowed.push_back(c);
  ASSERT_FALSE(allowed.empty());
  const auto core_of = [&](int rank) {
    return allowed[static_cast<std::size_t>(rank) % allowed.size()];
  };
  const int cores = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(core_of(w.rank()), &one);
  const bool pinned = sched_setaffinity(0, sizeof one, &one) == 0;
  const auto env = collect_environment(w, "");
  sched_setaffinity(0, sizeof saved, &saved);
  ASSERT_TRUE(pinned);
  if (!w.is_root()) return;
  std::string want;
  for (int r = 0; r < w.size(); ++r)
    want += (r ? "; rank " : "rank ") + std::to_string(r) + ": cores " + std::to_string(core_of(r));
  if (cores == 1)
    want = "unbound: every rank may use cores 0";  // one core: nothing to be bound away from
  EXPECT_EQ(env.binding, want);
  EXPECT_EQ(env.cores_available, 1);
}

}  // namespace
}  // namespace fanout
