// Units of fanout-sim on literal inputs: the fat tree's shape, the dispatch tree, task-time draws.
#include <gtest/gtest.h>

#include <fstream>

#include "../temp_dir.hpp"
#include "cli/config_error.hpp"
#include "sim/platform.hpp"
#include "sim/task_times.hpp"
#include "sim/tree_plan.hpp"
#include "workload/shell/joblog.hpp"

namespace fanout::sim {
namespace {

TEST(FatTree, TheNotesShapesForTenAndHundredThousandCores) {
  EXPECT_EQ(fat_tree_parameters(256), "2;16,16;1,16;1,1");
  EXPECT_EQ(fat_tree_parameters(2560), "2;40,64;1,40;1,1");
  EXPECT_EQ(fat_tree_parameters(25), "2;5,5;1,5;1,1");
  EXPECT_EQ(fat_tree_parameters(3), "2;1,3;1,1;1,1");
  EXPECT_EQ(fat_tree_parameters(1), "2;1,1;1,1;1,1");
}

TEST(FatTree, PlatformNamesEveryHost) {
  PlatformSpec p;
  p.nodes = 256;
  const std::string xml = platform_xml(p);
  EXPECT_NE(xml.find("radical=\"0-255\""), std::string::npos);
  EXPECT_NE(xml.find("core=\"40\""), std::string::npos);
  EXPECT_NE(xml.find("topo_parameters=\"2;16,16;1,16;1,1\""), std::string::npos);
  EXPECT_EQ(host_name(7), "node-7");
}

TEST(TreePlan, FlatHasEveryRankAskTheRootButRankZero) {
  SimSpec s;
  s.ranks = 100;
  s.platform.cores = 40;
  s.design = Design::flat;
  const TreePlan t = plan_tree(s);
  EXPECT_EQ(t.nodes, 3);
  EXPECT_EQ(t.leaders, 0);
  EXPECT_EQ(t.tasks, 10000u);
  EXPECT_EQ(t.chunk, 12u);  // fanout's auto_chunk: 10000 / (100 x 8)
  ASSERT_EQ(t.actors.size(), 101u);
  EXPECT_EQ(t.actors[0].children, 99);
  EXPECT_EQ(t.actors[1].role, Role::local);
  EXPECT_EQ(t.actors[2].parent, 0);
  EXPECT_EQ(t.actors[100].node, 2);
}

TEST(TreePlan, LeadersServeTheirNodeButRankZerosAsTheMpiTransportDoes) {
  SimSpec s;
  s.ranks = 100;
  s.platform.cores = 40;
  s.chunk = 5;
  const TreePlan t = plan_tree(s);
  EXPECT_EQ(t.leaders, 2);  // nodes 1 and 2
  ASSERT_EQ(t.actors.size(), 1u + 2 + 100);
  EXPECT_EQ(t.actors[0].children, 2 + 39);  // the leaders and node 0's ranks but rank 0
  EXPECT_EQ(t.actors[2].role, Role::leader);
  EXPECT_EQ(t.actors[2].node, 2);
  EXPECT_EQ(t.actors[2].children, 20);       // the last node holds ranks 80..99
  EXPECT_EQ(t.actors[2].want, 2u * 20 * 5);  // two rounds of its ranks' chunks
  EXPECT_EQ(t.actors[2].low_water, 20u * 5);
  EXPECT_EQ(t.actors[3].role, Role::local);  // rank 0
  EXPECT_EQ(t.actors[4].parent, 0);          // rank 1 asks rank 0
  EXPECT_EQ(t.actors[3 + 40].parent, 1);     // rank 40 asks node 1's leader
  EXPECT_EQ(t.actors[3 + 99].parent, 2);     // rank 99 asks node 2's
}

TEST(TreePlan, GroupsAddAnUpperLevel) {
  SimSpec s;
  s.ranks = 40 * 11;
  s.group = 4;
  const TreePlan t = plan_tree(s);
  EXPECT_EQ(t.leaders, 3 + 10);
  EXPECT_EQ(t.actors[0].children, 3 + 39);
  EXPECT_EQ(t.actors[3].children, 2);        // the last group holds nodes 9 and 10
  EXPECT_EQ(t.actors[1 + 3 + 4].parent, 2);  // node 5's leader answers to group 1
  EXPECT_EQ(t.actors[1].want, 4 * t.actors[4].want);
}

double mean_of(const TaskTimes& t, dispatch::TaskId n) {
  return t.sum({0, n}) / static_cast<double>(n);
}

TEST(TaskTimes, DrawsHaveTheMeanAskedAndRepeatPerId) {
  for (auto kind : {Distribution::exponential, Distribution::lognormal}) {
    TaskTimeSpec spec;
    spec.kind = kind;
    spec.mean_s = 0.1;
    const TaskTimes t(spec);
    EXPECT_NEAR(mean_of(t, 200'000), 0.1, 0.002) << to_string(kind);
    EXPECT_EQ(t.time(12345), t.time(12345));
    EXPECT_NE(t.time(1), t.time(2));
  }
  TaskTimeSpec pareto;
  pareto.kind = Distribution::pareto;
  pareto.mean_s = 0.1;
  pareto.shape = 2.5;  // a finite variance, so 200k draws pin the mean
  const TaskTimes p(pareto);
  EXPECT_NEAR(mean_of(p, 200'000), 0.1, 0.003);
  EXPECT_GE(p.time(3), 0.1 * 1.5 / 2.5);  // never below x_m
}

TEST(TaskTimes, SeedsDiffer) {
  TaskTimeSpec a;
  a.kind = Distribution::exponential;
  TaskTimeSpec b = a;
  b.seed = 2;
  EXPECT_NE(TaskTimes(a).time(5), TaskTimes(b).time(5));
}

TEST(TaskTimes, ConstantSumsExactly) {
  TaskTimeSpec spec;
  spec.mean_s = 0.25;
  EXPECT_DOUBLE_EQ(TaskTimes(spec).sum({10, 18}), 2.0);
}

TEST(TaskTimes, ReplayCyclesTheJoblogsRuntimes) {
  test::ScratchDir dir("sim");
  const std::string path = dir / "joblog";
  {
    std::ofstream out(path);
    out << joblog_header() << "\n";
    for (int i = 0; i < 3; ++i) {
      JoblogEntry e;
      e.seq = i + 1;
      e.host = "h";
      e.runtime_s = 0.5 * (i + 1);
      e.command = "sleep";
      out << joblog_line(e);
    }
  }
  TaskTimeSpec spec;
  spec.kind = Distribution::replay;
  spec.joblog = path;
  const TaskTimes t(spec);
  EXPECT_EQ(t.replay_size(), 3u);
  EXPECT_DOUBLE_EQ(t.replay_total_s(), 3.0);
  EXPECT_DOUBLE_EQ(t.time(0), 0.5);
  EXPECT_DOUBLE_EQ(t.time(4), 1.0);
  EXPECT_DOUBLE_EQ(t.sum({0, 6}), 6.0);
}

TEST(TaskTimes, ReplayOfAnEmptyJoblogIsRefused) {
  test::ScratchDir dir("sim");
  TaskTimeSpec spec;
  spec.kind = Distribution::replay;
  spec.joblog = dir / "none";
  EXPECT_THROW(TaskTimes{spec}, ConfigError);
}

}  // namespace
}  // namespace fanout::sim
