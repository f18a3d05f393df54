// Batch studies without a scheduler: the time-limit syntax, the point plan, the template
// language, the rendered scripts (PBS ones as golden text: no PBS server is packaged), the
// parsers of sbatch, scontrol and qstat output, the manifest, and collect's verdict per point.
// FANOUT_UPDATE_GOLDEN=1 rewrites the golden files from the current output (then review the diff).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "batch/batch_plan.hpp"
#include "batch/batch_scripts.hpp"
#include "batch/collect_command.hpp"
#include "batch/job_status.hpp"
#include "batch/manifest.hpp"
#include "batch/script_template.hpp"
#include "batch/submit_options.hpp"
#include "cli/config_error.hpp"
#include "cli/units.hpp"
#include "launch/launch_line.hpp"
#include "report/writer.hpp"

namespace fanout {
namespace {

std::string golden_path(const std::string& name) {
  return std::string(FANOUT_GOLDEN_DIR) + "/" + name;
}

void expect_golden(const std::string& name, const std::string& actual) {
  if (std::getenv("FANOUT_UPDATE_GOLDEN") != nullptr) {
    write_file_atomically(golden_path(name), actual);
    return;
  }
  std::ifstream in(golden_path(name));
  ASSERT_TRUE(in) << "missing golden file " << golden_path(name);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_EQ(s.str(), actual) << "golden " << name
                             << " differs (FANOUT_UPDATE_GOLDEN=1 rewrites it)";
}

/// `fanout submit ...` as parsed, with a job given by flags only (no file to depend on).
SubmitCommand submit(std::vector<std::string> extra) {
  std::vector<std::string> words{
      "--name", "fib",         "--cpu.kernel", "fib",   "--cpu.n",
      "30",     "--cpu.count", "64",           "--out", "/scratch/u/fib"};
  words.insert(words.end(), extra.begin(), extra.end());
  std::string help;
  std::optional<SubmitCommand> cmd = parse_submit_command(words, help);
  if (!cmd) throw std::logic_error("help: " + help);
  return *cmd;
}

ScriptContext context() {
  ScriptContext ctx;
  ctx.fanout_exe = "/opt/fanout/bin/fanout";
  ctx.workdir = "/home/u/studies";
  ctx.out_dir = "/scratch/u/fib";
  return ctx;
}

TEST(TimeLimit, FormatsAsSchedulersWriteIt) {
  EXPECT_EQ(format_time_limit(26 * 3600 + 61), "26:01:01");
}

TEST(SubmitOptions, BadInputNamesTheFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--time", "1:00:00", "--nodes", "1,0"}, "--nodes '1,0'"},
      {{"--nodes", "2"}, "--time: every job needs a wall-clock limit"},
      {{"--time", "25:99:00", "--nodes", "2"}, "--time '25:99:00'"},
      {{"--time", "1:00:00", "--nodes", "2", "--scheduler", "lsf"}, "--scheduler 'lsf'"},
      {{"--time", "1:00:00", "--nodes", "2", "--partition", "a b"}, "--partition 'a b'"},
      {{"--time", "1:00:00", "--nodes", "2", "--scheduler", "pbs", "--launcher", "srun"},
       "--launcher srun"},
      {{"--time", "1:00:00"}, "only the 1 x 1 x 1 point"},
      {{"--time", "1:00:00", "--nodes", "1,2", "--hosts", "n1:2"},
       "use --launcher mpirun to name hosts"},
      {{"--time", "1:00:00", "--nodes", "1,2", "--launcher", "mpirun", "--hosts", "n1:2",
        "--hostfile", "/etc/hosts"},
       "give one of them, not both"},
      {{"--time", "1:00:00", "--nodes", "2", "--threads", "2", "--model", "processes"},
       "--threads '2'"},
  };
  for (const auto& [args, expected] : cases) {
    try {
      submit(args);
      ADD_FAILURE() << "accepted: " << expected;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  }
}

TEST(SubmitOptions, ValuesInErrorsStayOnOneLine) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--setup", "source /etc/profile\nmodule load x"},
       "--setup 'source /etc/profile\\nmodule load x': expected one non-empty shell line"},
      {{"--partition", "a\nb"}, "--partition 'a\\nb': must be on one line"},
      {{"--module", "openmpi\t4.1"}, "--module 'openmpi\\t4.1': expected a name"},
      {{"--account", std::string("p\x01")}, "--account 'p\\x01': expected a name"},
  };
  for (const auto& [extra, expected] : cases) {
    std::vector<std::string> args{"--time", "1:00:00", "--nodes", "1,2"};
    args.insert(args.end(), extra.begin(), extra.end());
    try {
      submit(args);
      ADD_FAILURE() << "accepted: " << expected;
    } catch (const ConfigError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(expected), std::string::npos) << what;
      EXPECT_EQ(what.find_first_of("\n\t\x01"), std::string::npos) << what;
    }
  }
}

TEST(SubmitOptions, AnEmptyTemplateDirIsRefusedWithWhatWouldDo) {
  try {
    submit({"--time", "1:00:00", "--nodes", "1,2", "--template-dir", ""});
    ADD_FAILURE() << "an empty --template-dir was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "--template-dir '': expected a directory holding your copies of the templates, e.g. "
              "--template-dir my-templates; leave the flag out for the built-in ones");
  }
}

TEST(BatchPlan, EveryTripleAndTheBaseCaseByWorkers) {
  const SubmitCommand inv = submit({"--time", "1:00:00", "--nodes", "1,2", "--ranks-per-node", "2",
                                    "--threads", "1,2", "--model", "processes+threads"});
  const auto points = plan_batch_points(inv.spec, *inv.job.workload);
  std::vector<std::string> keys;
  for (const auto& p : points) keys.push_back(p.point.key());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"n1-r1-t1", "n1-r2-t1", "n1-r2-t2", "n2-r4-t1", "n2-r4-t2"}));
  EXPECT_EQ(points[2].point.workers, 4);
  EXPECT_EQ(points[3].ranks_per_node, 2);
  const BatchPoint shape = array_shape(points);
  EXPECT_EQ(shape.point.nodes, 2);
  EXPECT_EQ(shape.ranks_per_node, 2);
  EXPECT_EQ(shape.point.threads, 2);
}

TEST(ScriptTemplate, SubstitutesAndDropsEmptyOptionalLines) {
  const TemplateVars vars = {{"a", "x"}, {"b", ""}, {"c", "3"}};
  EXPECT_EQ(render_template("{{a}}-{{c}}\n{{?b}}gone {{b}}\n{{?a}}kept {{a}}\n${X:-{{c}}}\n", vars,
                            "t.sh"),
            "x-3\nkept x\n${X:-3}\n");
  try {
    render_template("ok\n{{nope}}\n", vars, "mine/slurm-point.sh");
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("mine/slurm-point.sh:2: unknown placeholder {{nope}}"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(render_template("{{a\n", vars, "t"), ConfigError);
}

TEST(BatchScripts, SlurmPointScriptAsAUserWouldWriteIt) {
  const SubmitCommand inv = submit({"--time", "0:30:00", "--nodes", "1,2", "--partition", "compute",
                                    "--account", "proj7", "--module", "openmpi/4.1.5"});
  const auto points = plan_batch_points(inv.spec, *inv.job.workload);
  const auto scripts = render_point_scripts(inv.spec, inv.job, context(), points,
                                            load_templates(Scheduler::slurm, ""));
  ASSERT_EQ(scripts.size(), 2u);
  EXPECT_EQ(scripts[1].file, "jobs/n2-r2-t1.sbatch");
  const std::string& s = scripts[1].text;
  for (const char* line :
       {"#SBATCH --nodes=2\n", "#SBATCH --ntasks-per-node=1\n", "#SBATCH --cpus-per-task=1\n",
        "#SBATCH --time=00:30:00\n", "#SBATCH --partition=compute\n", "#SBATCH --account=proj7\n",
        "#SBATCH --exclusive\n", "#SBATCH --output=/scratch/u/fib/runs/n2-r2-t1.log\n",
        "module load openmpi/4.1.5\n", "export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}\n",
        "cd /home/u/studies\n", "srun --mpi=pmix --nodes=2 --ntasks=2 --cpus-per-task=1 \\\n",
        "--model processes --threads 1 --repeat 3 --base none --quiet "
        "--json /scratch/u/fib/runs/n2-r2-t1.json\n"}) {
    EXPECT_NE(s.find(line), std::string::npos) << line << "\n" << s;
  }
  EXPECT_EQ(s.find("{{"), std::string::npos);
  const std::string collect =
      render_collect_script(inv.spec, inv.job, context(), load_templates(Scheduler::slurm, ""),
                            dependency_on({"101", "102"}))
          .text;
  EXPECT_NE(collect.find("#SBATCH --dependency=afterany:101:102\n"), std::string::npos);
  EXPECT_NE(collect.find("/opt/fanout/bin/fanout collect /scratch/u/fib\n"), std::string::npos);
}

// submit.json records for every point the command its job runs: the same words, one builder.
TEST(BatchScripts, RecordedCommandIsWhatTheScriptRuns) {
  for (const char* launcher : {"srun", "mpirun"}) {
    const SubmitCommand inv = submit({"--time", "0:30:00", "--nodes", "1,2", "--launcher", launcher,
                                      "--threads", "1,2", "--model", "processes+threads"});
    const auto points = plan_batch_points(inv.spec, *inv.job.workload);
    const auto scripts = render_point_scripts(inv.spec, inv.job, context(), points,
                                              load_templates(Scheduler::slurm, ""));
    for (std::size_t i = 0; i < points.size(); ++i) {
      std::string line = scripts[i].text.substr(scripts[i].text.find("cd /home/u/studies\n") + 19);
      for (std::size_t at; (at = line.find(" \\\n    ")) != std::string::npos;)
        line.replace(at, 7, " ");
      while (!line.empty() && line.back() == '\n') line.pop_back();
      EXPECT_EQ(line, shell_join(point_command(inv.spec, inv.job, context(), points[i])))
          << launcher << " " << points[i].point.key();
    }
  }
}

TEST(BatchScripts, MpirunPlacesRanksOnTheHostsGiven) {
  const SubmitCommand inv =
      submit({"--scheduler", "pbs", "--time", "1:00:00", "--nodes", "1,2", "--hosts", "n1:2,n2:2"});
  const auto points = plan_batch_points(inv.spec, *inv.job.workload);
  const auto scripts = render_point_scripts(inv.spec, inv.job, context(), points,
                                            load_templates(Scheduler::pbs, ""));
  const std::string& s = scripts.back().text;
  EXPECT_NE(s.find("    -np 2 --host n1:2,n2:2 --map-by ppr:1:node:PE=1 \\\n"), std::string::npos)
      << s;
  EXPECT_EQ(s.find("PBS_NODEFILE"), std::string::npos) << s;
}

TEST(BatchScripts, PbsScriptsGolden) {
  const SubmitCommand inv =
      submit({"--scheduler",      "pbs",
              "--time",           "2:00:00",
              "--nodes",          "1,2",
              "--ranks-per-node", "2",
              "--threads",        "1,4",
              "--model",          "processes+threads",
              "--partition",      "workq",
              "--module",         "gcc/12",
              "--module",         "openmpi/4.1.5",
              "--setup",          "source /opt/spack/share/spack/setup-env.sh"});
  const auto points = plan_batch_points(inv.spec, *inv.job.workload);
  const TemplateSet templates = load_templates(Scheduler::pbs, "");
  const auto scripts = render_point_scripts(inv.spec, inv.job, context(), points, templates);
  ASSERT_EQ(scripts.size(), 5u);
  expect_golden("pbs-n2-r4-t4.pbs", scripts.back().text);
  expect_golden("pbs-array.pbs",
                render_array_script(inv.spec, inv.job, context(), points, templates).text);
  expect_golden("pbs-collect.pbs", render_collect_script(inv.spec, inv.job, context(), templates,
                                                         dependency_on({"4021[].pbs01"}))
                                       .text);
}

TEST(BatchScripts, WeakArrayCarriesEachPointsWork) {
  const SubmitCommand inv =
      submit({"--time", "1:00:00", "--ranks-per-node", "1,2", "--mode", "weak", "--array"});
  const auto points = plan_batch_points(inv.spec, *inv.job.workload);
  const std::string s = render_array_script(inv.spec, inv.job, context(), points,
                                            load_templates(Scheduler::slurm, ""))
                            .text;
  EXPECT_NE(s.find("#SBATCH --array=0-1\n"), std::string::npos) << s;
  EXPECT_NE(s.find("#SBATCH --ntasks-per-node=2\n"), std::string::npos);
  EXPECT_NE(s.find("points=(n1-r1-t1 n1-r2-t1)\n"), std::string::npos);
  EXPECT_NE(s.find("work=(64 128)\n"), std::string::npos);
  EXPECT_NE(s.find("--cpu.count \"${work[i]}\""), std::string::npos);
  EXPECT_NE(s.find("srun --mpi=pmix --nodes=\"${nodes[i]}\" --ntasks=\"${ranks[i]}\""),
            std::string::npos);
  EXPECT_NE(s.find("#SBATCH --output=/scratch/u/fib/runs/array-%a.log\n"), std::string::npos);
}

TEST(BatchScripts, UserTemplateDirOverridesOneFile) {
  const auto dir = std::filesystem::temp_directory_path() / "fanout-tpl-test";
  std::filesystem::create_directories(dir);
  write_file_atomically((dir / "slurm-collect.sh").string(), "#!/bin/sh\n# mine {{job_name}}\n");
  const TemplateSet set = load_templates(Scheduler::slurm, dir.string());
  EXPECT_EQ(set.collect, "#!/bin/sh\n# mine {{job_name}}\n");
  EXPECT_NE(set.point.find("#SBATCH"), std::string::npos);
  EXPECT_NE(set.collect_source.find("fanout-tpl-test/slurm-collect.sh"), std::string::npos);
  std::filesystem::remove_all(dir);
  EXPECT_THROW(load_templates(Scheduler::slurm, "/nonexistent/templates"), ConfigError);
}

TEST(JobStatus, ParsesSbatchAndQsubIds) {
  EXPECT_EQ(parse_submitted_id("1234\n", false), "1234");
  EXPECT_EQ(parse_submitted_id("sbatch: warning: x\n1234;cluster2\n", false), "1234");
  EXPECT_FALSE(parse_submitted_id("sbatch: error: Batch job submission failed\n", false));
  EXPECT_EQ(parse_submitted_id("4021.pbs01\n", true), "4021.pbs01");
  EXPECT_EQ(parse_submitted_id("4022[].pbs01\n", true), "4022[].pbs01");
}

TEST(JobStatus, ParsesScontrolShowJob) {
  const std::string timeout =
      "JobId=7 JobName=fanout-fib-n1-r1-t1 UserId=root(0) GroupId=root(0) MCS_label=N/A "
      "Priority=1 Nice=0 Account=(null) QOS=(null) JobState=TIMEOUT Reason=TimeLimit "
      "Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:15 "
      "RunTime=00:01:05 TimeLimit=00:01:00 TimeMin=N/A SubmitTime=2026-11-24T23:54:28 "
      "Command=/tmp/a b/jobs/n1-r1-t1.sbatch WorkDir=/work/main StdOut=/tmp/x.log\n";
  const JobStatus t = parse_scontrol_job(timeout);
  EXPECT_TRUE(t.known);
  EXPECT_EQ(t.state, "TIMEOUT");
  EXPECT_EQ(t.reason, "TimeLimit");
  EXPECT_EQ(t.exit_code, 128 + 15);
  EXPECT_DOUBLE_EQ(t.elapsed_s, 65);
  EXPECT_EQ(parse_key_values(timeout.substr(0, timeout.size() - 1)).at("Command"),
            "/tmp/a b/jobs/n1-r1-t1.sbatch");
  const JobStatus f = parse_scontrol_job(
      "JobId=8 JobName=x JobState=FAILED Reason=NonZeroExitCode Dependency=(null) ExitCode=2:0 "
      "RunTime=1-00:00:01\n");
  EXPECT_EQ(f.exit_code, 2);
  EXPECT_DOUBLE_EQ(f.elapsed_s, 86401);
  const JobStatus pending =
      parse_scontrol_job("JobId=9 JobState=PENDING Reason=None ExitCode=0:0\n");
  EXPECT_EQ(pending.reason, "");
  EXPECT_FALSE(parse_scontrol_job("slurm_load_jobs error: Invalid job id specified\n").known);
  EXPECT_TRUE(is_final_state("TIMEOUT"));
  EXPECT_FALSE(is_final_state("RUNNING"));
}

TEST(JobStatus, ParsesQstatFull) {
  const std::string walltime =
      "Job Id: 4021[3].pbs01\n"
      "    Job_Name = fanout-fib-array\n"
      "    job_state = F\n"
      "    queue = workq\n"
      "    resources_used.walltime = 02:00:04\n"
      "    Exit_status = 271\n"
      "    comment = Job run at Tue Nov 24 at 10:00 on (n1:ncpus=8) and finished; job killed: "
      "walltime 7204 exceeded limit 7200\n";
  const JobStatus s = parse_qstat_full(walltime);
  EXPECT_TRUE(s.known);
  EXPECT_EQ(s.state, "TIMEOUT");
  EXPECT_EQ(s.exit_code, 128 + 15);
  EXPECT_DOUBLE_EQ(s.elapsed_s, 7204);
  EXPECT_EQ(parse_qstat_full("Job Id: 5.pbs01\n    job_state = Q\n").state, "PENDING");
  EXPECT_EQ(parse_qstat_full("Job Id: 5.pbs01\n    job_state = F\n    Exit_status = 0\n").state,
            "COMPLETED");
  EXPECT_FALSE(parse_qstat_full("qstat: Unknown Job Id 5.pbs01\n").known);
}

TEST(Manifest, RoundTrips) {
  const SubmitCommand inv = submit(
      {"--time", "0:10:00", "--ranks-per-node", "1,2", "--mode", "weak", "--module", "openmpi"});
  Manifest m;
  m.fanout_version = "0.1.0";
  m.submitted_at = "2026-11-24T23:54:28Z";
  m.command_line = "fanout submit ...";
  m.workdir = "/home/u";
  m.fanout_exe = "/opt/fanout/bin/fanout";
  m.spec = inv.spec;
  for (const auto& bp : plan_batch_points(inv.spec, *inv.job.workload)) {
    ManifestPoint mp;
    mp.point = bp.point;
    mp.ranks_per_node = bp.ranks_per_node;
    mp.job_id = "10" + std::to_string(bp.point.ranks);
    mp.run_json = "runs/" + bp.point.key() + ".json";
    mp.log = "runs/" + bp.point.key() + ".log";
    mp.command = {"srun", "fanout", "run"};
    m.points.push_back(mp);
  }
  m.collect_job_id = "103";
  const auto dir = std::filesystem::temp_directory_path() / "fanout-manifest-test";
  std::filesystem::create_directories(dir);
  write_file_atomically((dir / kManifestFile).string(), render_manifest(m));
  const Manifest back = read_manifest(dir.string());
  EXPECT_EQ(render_manifest(back), render_manifest(m));
  EXPECT_EQ(back.points[1].point.key(), "n1-r2-t1");
  EXPECT_EQ(back.points[1].point.work_factor, 2);
  EXPECT_EQ(back.spec.study.mode, ScaleMode::weak);
  EXPECT_EQ(back.spec.study.job_args, inv.spec.study.job_args);
  write_file_atomically((dir / kManifestFile).string(), "{\"points\": []}\n");
  EXPECT_THROW(read_manifest(dir.string()), ConfigError);
  std::filesystem::remove_all(dir);
  EXPECT_THROW(read_manifest(dir.string()), ConfigError);
}

TEST(CollectVerdict, SaysWhyAPointHasNoResult) {
  auto judged = [](bool ok, const std::string& doc_error, JobStatus s, const std::string& log) {
    PointResult p;
    p.job_id = "7";
    p.ok = ok;
    p.error = doc_error;
    judge_point(p, s, log, "00:01:00");
    return p;
  };
  JobStatus pending{true, "PENDING", "Dependency", -1, -1};
  const PointResult a = judged(false, "no doc", pending, "");
  EXPECT_FALSE(a.launched);
  EXPECT_EQ(a.error, "not run yet: job 7 is PENDING (Dependency)");

  JobStatus timeout{true, "TIMEOUT", "TimeLimit", 143, 65};
  const PointResult b = judged(false, "run JSON holds no repetition", timeout, "");
  EXPECT_TRUE(b.launched);
  EXPECT_EQ(b.exit_code, 143);
  EXPECT_EQ(b.job_state, "TIMEOUT");
  EXPECT_NE(b.error.find("hit its time limit (00:01:00) before its first repetition ended"),
            std::string::npos);

  JobStatus failed{true, "FAILED", "NonZeroExitCode", 2, 1};
  const PointResult c =
      judged(false, "no doc", failed, "srun: ...\nfanout: error: --cpu.n 99: too large\n");
  EXPECT_EQ(c.error, "job 7 FAILED (exit 2): --cpu.n 99: too large");

  const PointResult d = judged(true, "", timeout, "");
  EXPECT_TRUE(d.ok);
  EXPECT_TRUE(d.launched);
  EXPECT_EQ(d.job_state, "TIMEOUT");

  const PointResult e = judged(false, "no doc", JobStatus{}, "");
  EXPECT_EQ(e.error, "no result, and the scheduler no longer knows job 7: it left no log either");
}

}  // namespace
}  // namespace fanout
