// Batch allocations: Slurm's and PBS's variables read, and the line that starts `run` again over
// every task of one (srun, or mpirun with the fault settings every fanout mpirun line carries).
#include "launch/allocation.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "report/writer.hpp"

namespace fanout {
namespace {

TEST(Allocation, ReadsSlurmAndPbsVariables) {
  EXPECT_EQ(sum_cpus_per_node("2(x3),4"), 10);
  EXPECT_EQ(sum_cpus_per_node("16"), 16);
  EXPECT_EQ(sum_cpus_per_node("2(x"), 0);
  const std::map<std::string, std::string> slurm = {{"SLURM_JOB_ID", "42"},
                                                    {"SLURM_JOB_NUM_NODES", "2"},
                                                    {"SLURM_NTASKS", "4"},
                                                    {"SLURM_CPUS_PER_TASK", "8"},
                                                    {"SLURM_JOB_CPUS_PER_NODE", "16(x2)"}};
  auto getter = [](const std::map<std::string, std::string>& env) {
    return [&env](const char* name) -> const char* {
      const auto it = env.find(name);
      return it == env.end() ? nullptr : it->second.c_str();
    };
  };
  const Allocation a = detect_allocation(getter(slurm));
  EXPECT_EQ(a.scheduler, "slurm");
  EXPECT_EQ(a.job_id, "42");
  EXPECT_EQ(a.nodes, 2);
  EXPECT_EQ(a.tasks, 4);
  EXPECT_EQ(a.cpus_per_task, 8);
  EXPECT_EQ(a.cpus, 32);
  EXPECT_EQ(relaunch_argv(a, "/bin/fanout", {"run", "job.ini"}, false),
            (std::vector<std::string>{"srun", "--mpi=pmix", "--ntasks=4", "--cpus-per-task=8",
                                      "/bin/fanout", "run", "job.ini"}));

  const auto nodefile = std::filesystem::temp_directory_path() / "fanout-nodefile-test";
  write_file_atomically(nodefile.string(), "n1\nn1\nn2\nn2\n");
  const std::map<std::string, std::string> pbs = {
      {"PBS_JOBID", "7.pbs01"}, {"PBS_NODEFILE", nodefile.string()}, {"NCPUS", "8"}};
  const Allocation b = detect_allocation(getter(pbs));
  EXPECT_EQ(b.scheduler, "pbs");
  EXPECT_EQ(b.tasks, 4);
  EXPECT_EQ(b.nodes, 2);
  EXPECT_EQ(b.cpus, 16);
  EXPECT_EQ(relaunch_argv(b, "/bin/fanout", {"compare"}, true),
            (std::vector<std::string>{"mpirun",
                                      "--mca",
                                      "odls_base_sigkill_timeout",
                                      "1",
                                      "--mca",
                                      "oob_tcp_keepalive_time",
                                      "1",
                                      "--mca",
                                      "oob_tcp_keepalive_intvl",
                                      "1",
                                      "--mca",
                                      "oob_tcp_keepalive_probes",
                                      "3",
                                      "-np",
                                      "4",
                                      "--hostfile",
                                      nodefile.string(),
                                      "--allow-run-as-root",
                                      "/bin/fanout",
                                      "compare"}));
  std::filesystem::remove(nodefile);

  const std::map<std::string, std::string> none;
  EXPECT_FALSE(detect_allocation(getter(none)).present());
  const std::map<std::string, std::string> one = {{"SLURM_JOB_ID", "43"}, {"SLURM_NTASKS", "1"}};
  EXPECT_TRUE(relaunch_argv(detect_allocation(getter(one)), "/bin/fanout", {"run"}, false).empty());
}

}  // namespace
}  // namespace fanout
