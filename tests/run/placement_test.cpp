// Which ranks run tasks under each model, with how many workers.
#include "run/placement.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "../temp_dir.hpp"
#include "run/run_options.hpp"

namespace fanout {
namespace {

/// The job those `fanout run` arguments resolve to (cpu by default).
JobSpec job_of(const std::vector<std::string>& args = {}) { return resolve_run_job(args); }

JobSpec io_job(int concurrency, bool driver_per_rank = false) {
  return job_of({"--workload", "io", "--io.url", "http://127.0.0.1:1/", "--io.concurrency",
                 std::to_string(concurrency), "--io.driver", driver_per_rank ? "rank" : "node"});
}

Topology two_nodes_of_two(int rank) {
  Topology t;
  t.rank = rank;
  t.size = 4;
  t.node_count = 2;
  t.node_index = rank / 2;
  t.node_rank = rank % 2;
  t.node_size = 2;
  t.affinity_cores = 8;
  t.node_cores = 8;
  return t;
}

TEST(Placement, RankZeroModels) {
  const JobSpec job = job_of();
  for (Model m : {Model::serial, Model::threads, Model::async}) {
    const Placement root = place(m, job, two_nodes_of_two(0));
    const Placement other = place(m, job, two_nodes_of_two(3));
    EXPECT_TRUE(root.participates);
    EXPECT_FALSE(other.participates);
    EXPECT_EQ(root.participants, 1);
    EXPECT_EQ(other.participant_index, -1);
  }
  EXPECT_EQ(place(Model::threads, job, two_nodes_of_two(0)).threads, 8);  // the rank's cores
  EXPECT_EQ(place(Model::async, job, two_nodes_of_two(0)).workers, 1);
}

TEST(Placement, ProcessesUseEveryRank) {
  const JobSpec job = job_of({"--schedule", "dynamic"});
  const Placement p = place(Model::processes, job, two_nodes_of_two(2));
  EXPECT_TRUE(p.participates);
  EXPECT_EQ(p.participants, 4);
  EXPECT_EQ(p.participant_index, 2);
  EXPECT_EQ(p.workers, 1);
  EXPECT_TRUE(p.dynamic);
  EXPECT_FALSE(place(Model::serial, job, two_nodes_of_two(0)).dynamic);
}

TEST(Placement, HybridSharesTheNodesCores) {
  JobSpec job = job_of();
  EXPECT_EQ(place(Model::processes_threads, job, two_nodes_of_two(1)).threads, 4);  // 8 cores / 2
  job.run.threads = 3;
  EXPECT_EQ(place(Model::processes_threads, job, two_nodes_of_two(1)).threads, 3);
  Topology omp = two_nodes_of_two(1);
  omp.omp_num_threads = 2;
  job.run.threads = 0;
  EXPECT_EQ(place(Model::processes_threads, job, omp).threads, 2);
}

TEST(Placement, OneAsyncDriverPerNode) {
  const JobSpec job = io_job(64);
  const Placement leader = place(Model::processes_async, job, two_nodes_of_two(2));
  const Placement follower = place(Model::processes_async, job, two_nodes_of_two(3));
  EXPECT_TRUE(leader.participates);
  EXPECT_EQ(leader.participants, 2);
  EXPECT_EQ(leader.participant_index, 1);
  EXPECT_EQ(leader.workers, 64);
  EXPECT_FALSE(follower.participates);
  const JobSpec per_rank = io_job(64, true);
  EXPECT_TRUE(place(Model::processes_async, per_rank, two_nodes_of_two(3)).participates);
  EXPECT_EQ(place(Model::processes_async, per_rank, two_nodes_of_two(3)).participants, 4);
}

TEST(Placement, CpuEventLoopsRunOneTaskAtATimeOnEveryRank) {
  const JobSpec job = job_of();
  const Placement p = place(Model::processes_async, job, two_nodes_of_two(3));
  EXPECT_TRUE(p.participates);
  EXPECT_EQ(p.participants, 4);
  EXPECT_EQ(p.workers, 1);
}

TEST(Placement, IoThreadsPoolMatchesAsyncWindow) {
  const JobSpec job = io_job(50);
  EXPECT_EQ(place(Model::threads, job, two_nodes_of_two(0)).threads, 50);
  EXPECT_EQ(place(Model::async, job, two_nodes_of_two(0)).workers, 50);
}

TEST(Placement, FarmSlotsAreTheCoresOverCoresPerTaskInEveryModel) {
  test::ScratchDir dir;
  std::ofstream((dir / "t.txt")) << "true\n";
  const auto farm = [&](std::vector<std::string> more) {
    std::vector<std::string> args{"--workload", "shell", "--shell.tasks", (dir / "t.txt")};
    args.insert(args.end(), more.begin(), more.end());
    return job_of(args);
  };
  const JobSpec four = farm({"--shell.cores-per-task", "4"});
  EXPECT_EQ(place(Model::threads, four, two_nodes_of_two(0)).threads, 2);  // 8 cores / 4
  EXPECT_EQ(place(Model::async, four, two_nodes_of_two(0)).workers, 2);
  EXPECT_EQ(place(Model::processes_async, four, two_nodes_of_two(1)).workers,
            1);  // 8 / 2 ranks / 4
  EXPECT_EQ(place(Model::processes_threads, four, two_nodes_of_two(1)).threads, 1);
  EXPECT_TRUE(place(Model::processes_async, four, two_nodes_of_two(1)).participates)
      << "every rank runs its own event loop of children";
  const JobSpec one = farm({});
  EXPECT_EQ(place(Model::async, one, two_nodes_of_two(0)).workers, 8);
  EXPECT_EQ(place(Model::processes_async, one, two_nodes_of_two(3)).workers, 4);
  const JobSpec slots = farm({"--shell.slots", "5", "--shell.cores-per-task", "4"});
  EXPECT_EQ(place(Model::async, slots, two_nodes_of_two(0)).workers, 5) << "slots given win";
  EXPECT_EQ(place(Model::processes_threads, slots, two_nodes_of_two(0)).threads, 5);
  JobSpec threads = farm({"--threads", "3"});
  EXPECT_EQ(place(Model::processes_async, threads, two_nodes_of_two(0)).workers, 3);
}

TEST(Placement, CompareModelsComeFromTheKind) {
  EXPECT_EQ(job_of().workload->models().compare.back(), Model::processes_threads);
  EXPECT_EQ(io_job(4).workload->models().compare.back(), Model::processes_async);
}

}  // namespace
}  // namespace fanout
