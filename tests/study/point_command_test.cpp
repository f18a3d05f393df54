// Launch lines of study points, as golden argv.
#include "study/point_command.hpp"

#include <gtest/gtest.h>

#include "job/job_options.hpp"

namespace fanout {
namespace {

using Argv = std::vector<std::string>;

StudyPoint point(int ranks, int threads, Model model) {
  StudyPoint p;
  p.ranks = ranks;
  p.threads = threads;
  p.model = model;
  p.workers = ranks * (model == Model::processes_threads ? threads : 1);
  p.work_factor = 1;
  return p;
}

LaunchContext context(Launcher l, int cores, bool root) {
  return {l, "/opt/fanout/bin/fanout", cores, root, "", {}};
}

/// mpirun and the fault settings every line of fanout's starts with, then `rest`.
Argv mpirun(const Argv& rest) {
  Argv out{"mpirun", "--mca", "odls_base_sigkill_timeout", "1", "--mca", "oob_tcp_keepalive_time",
           "1",      "--mca", "oob_tcp_keepalive_intvl",   "1", "--mca", "oob_tcp_keepalive_probes",
           "3"};
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

TEST(PointCommand, MpirunLineOversubscribesOnlyBeyondTheCores) {
  StudySpec spec;
  spec.repeat = 4;
  spec.run_args = {"jobs/fib.ini", "--cpu.n", "20"};
  const JobSpec job = job_from_flags({});
  EXPECT_EQ(point_argv(context(Launcher::mpirun, 4, false), spec, job,
                       point(2, 2, Model::processes_threads), "out/runs/r2-t2.json"),
            mpirun({"-np",
                    "2",
                    "--bind-to",
                    "none",
                    "/opt/fanout/bin/fanout",
                    "run",
                    "jobs/fib.ini",
                    "--cpu.n",
                    "20",
                    "--model",
                    "processes+threads",
                    "--threads",
                    "2",
                    "--repeat",
                    "4",
                    "--base",
                    "none",
                    "--quiet",
                    "--json",
                    "out/runs/r2-t2.json"}));
  EXPECT_EQ(plain(launcher_words(scale_launch(context(Launcher::mpirun, 4, true),
                                              point(3, 2, Model::processes_threads)))),
            mpirun({"-np", "3", "--bind-to", "none", "--oversubscribe", "--allow-run-as-root"}));
  // Threads of a model that ignores them do not count toward the cores.
  EXPECT_EQ(plain(launcher_words(
                scale_launch(context(Launcher::mpirun, 4, false), point(4, 2, Model::processes)))),
            mpirun({"-np", "4", "--bind-to", "none"}));
}

TEST(PointCommand, HostsFillTheirSlotsAndOversubscribeOnlyBeyondThem) {
  LaunchContext ctx = context(Launcher::mpirun, 2, false);
  ctx.hosts = parse_host_list("n1:2,n2:2,n3:2", "--hosts");
  // 6 slots over 3 nodes: 6 ranks fit though this node has 2 cores; threads are the run's to judge.
  EXPECT_EQ(plain(launcher_words(scale_launch(ctx, point(6, 2, Model::processes_threads)))),
            mpirun({"-np", "6", "--host", "n1:2,n2:2,n3:2", "--bind-to", "none"}));
  EXPECT_EQ(
      plain(launcher_words(scale_launch(ctx, point(7, 1, Model::processes)))),
      mpirun({"-np", "7", "--host", "n1:2,n2:2,n3:2", "--bind-to", "none", "--oversubscribe"}));
  // A hostfile line without slots counts as many as this node's cores.
  ctx.hosts = HostList{{{"n1", 0}, {"n2", 4}}, "/etc/hosts.mpi"};
  EXPECT_EQ(plain(launcher_words(scale_launch(ctx, point(6, 1, Model::processes)))),
            mpirun({"-np", "6", "--hostfile", "/etc/hosts.mpi", "--bind-to", "none"}));
  EXPECT_EQ(
      plain(launcher_words(scale_launch(ctx, point(7, 1, Model::processes)))),
      mpirun({"-np", "7", "--hostfile", "/etc/hosts.mpi", "--bind-to", "none", "--oversubscribe"}));
}

TEST(PointCommand, SrunGivesEveryRankItsThreads) {
  EXPECT_EQ(plain(launcher_words(scale_launch(context(Launcher::srun, 2, true),
                                              point(8, 4, Model::processes_threads)))),
            (Argv{"srun", "--mpi=pmix", "--ntasks=8", "--cpus-per-task=4"}));
}

TEST(PointCommand, WeakModeMultipliesTheWork) {
  StudySpec spec;
  spec.mode = ScaleMode::weak;
  const JobSpec job = job_from_flags({"--cpu.count", "30"});
  StudyPoint p = point(2, 3, Model::processes_threads);
  p.work_factor = 6;
  const Argv argv = point_argv(context(Launcher::mpirun, 8, false), spec, job, p, "x.json");
  EXPECT_EQ(Argv(argv.end() - 2, argv.end()), (Argv{"--cpu.count", "180"}));
  const JobSpec io_job =
      job_from_flags({"--workload", "io", "--io.url", "http://127.0.0.1:1/", "--io.repeat", "5"});
  const Argv io = point_argv(context(Launcher::mpirun, 8, false), spec, io_job, p, "x.json");
  EXPECT_EQ(Argv(io.end() - 2, io.end()), (Argv{"--io.repeat", "30"}));
}

TEST(PointCommand, LauncherFollowsTheAllocation) {
  EXPECT_EQ(resolve_launcher(Launcher::automatic, true), Launcher::srun);
  EXPECT_EQ(resolve_launcher(Launcher::automatic, false), Launcher::mpirun);
  EXPECT_EQ(resolve_launcher(Launcher::mpirun, true), Launcher::mpirun);
  EXPECT_EQ(resolve_launcher(Launcher::srun, false), Launcher::srun);
}

TEST(PointCommand, TemplateAndQuoting) {
  StudySpec spec;
  spec.run_args = {"my job.ini"};
  const JobSpec job = job_from_flags({});
  EXPECT_EQ(launch_template(context(Launcher::srun, 2, false), spec, job),
            "srun --mpi=pmix --ntasks=R --cpus-per-task=T /opt/fanout/bin/fanout run 'my job.ini' "
            "--model M --threads T --repeat 3 --base none --quiet --json runs/rR-tT.json");
  EXPECT_EQ(shell_join({"a", "it's", "", "x=1,2"}), "a 'it'\\''s' '' x=1,2");
}

}  // namespace
}  // namespace fanout
