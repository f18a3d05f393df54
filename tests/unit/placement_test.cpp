// Which ranks run tasks under each model, with how many workers.
#include "app/placement.hpp"

#include <gtest/gtest.h>

namespace fanout {
namespace {

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
  JobSpec job;
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
  JobSpec job;
  job.run.schedule = Schedule::dynamic;
  const Placement p = place(Model::processes, job, two_nodes_of_two(2));
  EXPECT_TRUE(p.participates);
  EXPECT_EQ(p.participants, 4);
  EXPECT_EQ(p.participant_index, 2);
  EXPECT_EQ(p.workers, 1);
  EXPECT_TRUE(p.dynamic);
  EXPECT_FALSE(place(Model::serial, job, two_nodes_of_two(0)).dynamic);
}

TEST(Placement, HybridSharesTheNodesCores) {
  JobSpec job;
  EXPECT_EQ(place(Model::processes_threads, job, two_nodes_of_two(1)).threads, 4);  // 8 cores / 2
  job.run.threads = 3;
  EXPECT_EQ(place(Model::processes_threads, job, two_nodes_of_two(1)).threads, 3);
  Topology omp = two_nodes_of_two(1);
  omp.omp_num_threads = 2;
  job.run.threads = 0;
  EXPECT_EQ(place(Model::processes_threads, job, omp).threads, 2);
}

TEST(Placement, OneAsyncDriverPerNode) {
  JobSpec job;
  job.workload = WorkloadKind::io;
  job.io.concurrency = 64;
  const Placement leader = place(Model::processes_async, job, two_nodes_of_two(2));
  const Placement follower = place(Model::processes_async, job, two_nodes_of_two(3));
  EXPECT_TRUE(leader.participates);
  EXPECT_EQ(leader.participants, 2);
  EXPECT_EQ(leader.participant_index, 1);
  EXPECT_EQ(leader.workers, 64);
  EXPECT_FALSE(follower.participates);
  job.io.driver_per_rank = true;
  EXPECT_TRUE(place(Model::processes_async, job, two_nodes_of_two(3)).participates);
  EXPECT_EQ(place(Model::processes_async, job, two_nodes_of_two(3)).participants, 4);
}

TEST(Placement, IoThreadsPoolMatchesAsyncWindow) {
  JobSpec job;
  job.workload = WorkloadKind::io;
  job.io.concurrency = 50;
  EXPECT_EQ(place(Model::threads, job, two_nodes_of_two(0)).threads, 50);
  EXPECT_EQ(place(Model::async, job, two_nodes_of_two(0)).workers, 50);
}

TEST(Placement, CompareModels) {
  EXPECT_EQ(compare_models(WorkloadKind::cpu).back(), Model::processes_threads);
  EXPECT_EQ(compare_models(WorkloadKind::io).back(), Model::processes_async);
}

}  // namespace
}  // namespace fanout
