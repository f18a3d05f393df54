// Walltime-aware starts: the allocation's end read from the environment, and the rule that starts
// a task only when it is expected to end before then.
#include "workload/shell/walltime_gate.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <map>
#include <string>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

std::function<const char*(const char*)> env(const std::map<std::string, std::string>& vars) {
  return [vars](const char* name) -> const char* {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

/// allocation_end of these variables, outside a PBS job: qstat must not be asked.
std::optional<AllocationEnd> end_of(const std::map<std::string, std::string>& vars) {
  return allocation_end(env(vars), [](const std::string& job) -> std::string {
    ADD_FAILURE() << "qstat asked about " << job;
    return "";
  });
}

TEST(AllocationEnd, FanoutsOwnVariableFirstThenSlurms) {
  EXPECT_EQ(end_of({}), std::nullopt);
  EXPECT_EQ(end_of({{"FANOUT_END_TIME", ""}}), std::nullopt) << "empty: unset";
  const auto slurm = end_of({{"SLURM_JOB_END_TIME", "1800000000"}});
  ASSERT_TRUE(slurm);
  EXPECT_EQ(slurm->epoch_s, 1800000000.0);
  EXPECT_EQ(slurm->source, "SLURM_JOB_END_TIME");
  const auto both =
      end_of({{"SLURM_JOB_END_TIME", "1800000000"}, {"FANOUT_END_TIME", "1700000000"}});
  ASSERT_TRUE(both);
  EXPECT_EQ(both->epoch_s, 1700000000.0);
  EXPECT_EQ(both->source, "FANOUT_END_TIME");
}

TEST(AllocationEnd, RefusesWhatIsNoTimeNamingTheVariable) {
  for (const char* bad : {"soon", "12:00", "1.7e9", "-5", "0", "1700000000x", " 1700000000"}) {
    try {
      end_of({{"FANOUT_END_TIME", bad}});
      ADD_FAILURE() << "accepted FANOUT_END_TIME=" << bad;
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()), std::string("FANOUT_END_TIME=") + bad +
                                           ": expected the allocation's end as whole seconds "
                                           "since 1970 (date +%s)");
    }
  }
}

TEST(AllocationEnd, InAPbsJobQstatSaysItsStartAndWalltime) {
  std::string asked;
  const std::string qstat =
      "Job Id: 42.server\n    Job_Name = farm\n    job_state = R\n"
      "    Resource_List.walltime = 02:00:00\n    stime = Mon Dec  7 22:00:00 2026\n";
  const auto end = allocation_end(env({{"PBS_JOBID", "42.server"}}), [&](const std::string& job) {
    asked = job;
    return qstat;
  });
  EXPECT_EQ(asked, "42.server");
  ASSERT_TRUE(end);
  std::tm start{};
  start.tm_year = 2026 - 1900;
  start.tm_mon = 11;
  start.tm_mday = 7;
  start.tm_hour = 22;
  start.tm_isdst = -1;
  EXPECT_EQ(end->epoch_s, static_cast<double>(std::mktime(&start)) + 7200);
  EXPECT_EQ(end->source, "PBS (qstat: stime + Resource_List.walltime)");
  // FANOUT_END_TIME first; qstat's silence or a job without a walltime: no end.
  EXPECT_EQ(allocation_end(env({{"PBS_JOBID", "42"}, {"FANOUT_END_TIME", "1700000000"}}),
                           [](const std::string&) { return std::string("x"); })
                ->source,
            "FANOUT_END_TIME");
  EXPECT_EQ(
      allocation_end(env({{"PBS_JOBID", "42"}}), [](const std::string&) { return std::string(); }),
      std::nullopt);
  EXPECT_EQ(pbs_job_end("    stime = Mon Dec  7 22:00:00 2026\n"), std::nullopt);
  EXPECT_EQ(pbs_job_end("    Resource_List.walltime = 02:00:00\n    stime = yesterday\n"),
            std::nullopt);
}

TEST(WalltimeGate, ATimeRequestStartsOnlyWhatEndsBeforeTheEnd) {
  const WalltimeGate gate({1000, "FANOUT_END_TIME"}, 60, 0);
  EXPECT_EQ(gate.expected_s(), 60);
  EXPECT_EQ(gate.refusal(900), std::nullopt);
  EXPECT_EQ(gate.refusal(939.5), std::nullopt);
  const auto refused = gate.refusal(940);
  ASSERT_TRUE(refused);
  EXPECT_EQ(*refused,
            "no task starts: one may take 1 min (shell.time-request), and the end "
            "FANOUT_END_TIME gives is 1 min away; a later job (--resume) runs the rest");
  EXPECT_NE(gate.refusal(1200)->find("and the end FANOUT_END_TIME gives has come"),
            std::string::npos);
}

TEST(WalltimeGate, WithoutARequestItLearnsTheLongestTaskSoFar) {
  WalltimeGate gate({1000, "SLURM_JOB_END_TIME"}, 0, 5);
  EXPECT_EQ(gate.expected_s(), 5) << "the longest in the joblog a resume read";
  gate.finished(3);
  EXPECT_EQ(gate.expected_s(), 5);
  gate.finished(30);
  EXPECT_EQ(gate.expected_s(), 30);
  EXPECT_EQ(gate.refusal(969), std::nullopt);
  ASSERT_TRUE(gate.refusal(970));
  EXPECT_NE(gate.refusal(970)->find("one may take 30 s (the longest task so far)"),
            std::string::npos);

  const WalltimeGate knows_nothing({1000, "FANOUT_END_TIME"}, 0, 0);
  EXPECT_EQ(knows_nothing.refusal(999.9), std::nullopt) << "nothing known: starts until the end";
  ASSERT_TRUE(knows_nothing.refusal(1000));
  EXPECT_EQ(*knows_nothing.refusal(1000),
            "no task starts: the end FANOUT_END_TIME gives has come; a later job (--resume) runs "
            "the rest");
}

TEST(WalltimeGate, ARequestIsNotReplacedByWhatTasksTook) {
  WalltimeGate gate({1000, "FANOUT_END_TIME"}, 10, 0);
  gate.finished(100);
  EXPECT_EQ(gate.expected_s(), 10);
}

}  // namespace
}  // namespace fanout
