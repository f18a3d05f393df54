// The study's renderers: study.json shape, study.csv rows, the text table, the gnuplot scripts.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "job/job_options.hpp"
#include "study/gnuplot_script.hpp"
#include "study/study_analysis.hpp"
#include "study/study_csv.hpp"
#include "study/study_json.hpp"
#include "study/study_table.hpp"

namespace fanout {
namespace {

using nlohmann::json;

/// Ranks 1, 2, 4 x threads 1, 2 without 4 x 2, following Amdahl with f = 0.1; 4 x 1 failed.
StudyReport fixture() {
  StudyReport r;
  r.spec.ranks = {1, 2, 4};
  r.spec.threads = {1, 2};
  r.spec.repeat = 3;
  r.spec.out_dir = "study";
  r.job = job_from_flags({"--cpu.n", "20", "--cpu.count", "12"});
  r.job.name = "fib";
  r.command_line = "fanout scale --ranks 1,2,4 --threads 1,2 --out study";
  r.started_at = "2026-01-02T03:04:05Z";
  r.launcher = Launcher::mpirun;
  r.launch_template = "mpirun -np R ...";
  r.driver_host = "login1";
  r.driver_cores = 4;
  for (const StudyPoint& point : plan_points(r.spec, *r.job.workload)) {
    if (point.ranks == 4 && point.threads == 2) continue;
    PointResult p;
    p.point = point;
    p.run_json = "runs/" + point.key() + ".json";
    p.command = {"mpirun", "-np", std::to_string(point.ranks)};
    p.launched = true;
    p.tasks = 12;
    if (point.ranks == 4) {
      p.exit_code = 1;
      p.error = "out of memory, \"really\"";
    } else {
      p.ok = true;
      const double t = 2.0 * (0.1 + 0.9 / point.workers);
      p.walls_s = {t * 1.01, t, t * 0.99};
      p.environment.hosts = {"node1"};
      p.environment.mpi_library = "Open MPI v4.1.4";
      summarize_point(p);
    }
    r.points.push_back(std::move(p));
  }
  analyze(r);
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(StudyJson, DocumentShape) {
  const json doc = json::parse(render_study_json(fixture()));
  for (const char* key : {"fanout_version",
                          "command",
                          "incomplete",
                          "started_at",
                          "command_line",
                          "mode",
                          "work_scaling",
                          "repetitions",
                          "efficiency_threshold",
                          "launcher",
                          "launch_template",
                          "measurement",
                          "job",
                          "environment",
                          "base_case",
                          "points",
                          "fit",
                          "stops_paying_off",
                          "warnings",
                          "plots"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_EQ(doc["command"], "scale");
  EXPECT_EQ(doc["mode"], "strong");
  EXPECT_EQ(doc["environment"]["driver_host"], "login1");
  EXPECT_EQ(doc["environment"]["mpi_library"], "Open MPI v4.1.4");
  EXPECT_EQ(doc["base_case"]["key"], "r1-t1");
  EXPECT_DOUBLE_EQ(doc["base_case"]["wall_s"].get<double>(), 2.0);
  ASSERT_EQ(doc["points"].size(), 5u);
  const json& base = doc["points"][0];
  EXPECT_DOUBLE_EQ(base["speedup"].get<double>(), 1.0);
  EXPECT_TRUE(base["karp_flatt"].is_null());
  for (const char* key :
       {"key",      "ranks",     "threads",     "workers",    "model",        "work_factor",
        "status",   "exit_code", "error",       "command",    "run_json",     "log",
        "launch_s", "tasks",     "repetitions", "wall_s",     "wall_s_reps",  "wall_ci95",
        "wall_cv",  "speedup",   "efficiency",  "karp_flatt", "failed_tasks", "hosts"}) {
    EXPECT_TRUE(base.contains(key)) << key;
  }
  const json& failed = doc["points"][3];
  EXPECT_EQ(failed["key"], "r4-t1");
  EXPECT_EQ(failed["status"], "failed");
  EXPECT_TRUE(failed["wall_s"].is_null());
  EXPECT_TRUE(failed["speedup"].is_null());
  EXPECT_EQ(doc["fit"]["law"], "amdahl");
  EXPECT_NEAR(doc["fit"]["serial_fraction"].get<double>(), 0.1, 1e-6);
  EXPECT_NEAR(doc["fit"]["max_speedup"].get<double>(), 10, 1e-3);
  // Efficiencies 1, 0.909, 0.909, -, 0.769: the 2 x 2 point is the first under 80 %.
  EXPECT_EQ(doc["stops_paying_off"]["key"], "r2-t2");
  EXPECT_EQ(doc["stops_paying_off"]["workers"], 4);
}

TEST(StudyCsv, OneRowPerPointWithQuotedErrors) {
  const auto rows = lines(render_study_csv(fixture()));
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0].rfind("key,ranks,threads,workers,model,work_factor,status,", 0), 0u);
  EXPECT_EQ(rows[1].rfind("r1-t1,1,1,1,processes,1,ok,12,3,2,", 0), 0u) << rows[1];
  EXPECT_EQ(rows[3].rfind("r1-t2,1,2,2,processes+threads,1,ok,", 0), 0u) << rows[3];
  EXPECT_EQ(rows[5].rfind("r2-t2,2,2,4,processes+threads,1,ok,", 0), 0u) << rows[5];
  EXPECT_NE(rows[4].find(",failed,12,0,,,,,,,,,0,"), std::string::npos) << rows[4];
  EXPECT_NE(rows[4].find("\"out of memory, \"\"really\"\"\""), std::string::npos) << rows[4];
}

TEST(StudyTable, SaysBaseCaseFitStopAndWarnings) {
  const std::string text = render_study_table(fixture(), "study");
  EXPECT_NE(text.find("fanout scale: job fib, strong scaling"), std::string::npos) << text;
  EXPECT_NE(text.find("base case:    r1-t1 (processes, 1 rank x 1 thread, 12 tasks): 2.000 s"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("fit: Amdahl, serial fraction f = 0.100"), std::string::npos) << text;
  EXPECT_NE(text.find("point failed (exit 1)"), std::string::npos) << text;
  EXPECT_NE(text.find("r4-t1: the launch failed (exit 1): out of memory"), std::string::npos);
  EXPECT_NE(text.find("files in study: study.json, study.csv"), std::string::npos);
}

TEST(StudyTable, AnUnusableResultOfAGoodRunIsNoFailedLaunch) {
  StudyReport r = fixture();
  for (PointResult& p : r.points) {
    if (p.point.ranks != 4) continue;
    p.exit_code = 0;
    p.error = "runs/r4-t1.json is not a JSON document";
  }
  analyze(r);
  const std::string text = render_study_table(r, "study");
  EXPECT_EQ(text.find("the launch failed (exit 0)"), std::string::npos) << text;
  EXPECT_NE(text.find("r4-t1: the run exited 0 but left no usable result: runs/r4-t1.json is not"),
            std::string::npos)
      << text;
}

TEST(GnuplotScript, InlineDataIdealLineFitAndBothTerminals) {
  const StudyReport r = fixture();
  const std::string script = render_gnuplot_script(r, PlotKind::speedup, {"pngcairo", true});
  EXPECT_NE(script.find("$t1 << EOD\n"), std::string::npos) << script;
  EXPECT_NE(script.find("$t2 << EOD\n"), std::string::npos) << script;
  EXPECT_NE(script.find("\n1 1 "), std::string::npos) << script;  // the base case: p = 1, S = 1
  EXPECT_NE(script.find("x title 'ideal'"), std::string::npos);
  EXPECT_NE(script.find("law(p) = 1 / (f + (1 - f) / p)"), std::string::npos);
  EXPECT_NE(script.find("set terminal pngcairo"), std::string::npos);
  EXPECT_NE(script.find("set output 'speedup.png'"), std::string::npos);
  EXPECT_NE(script.find("set output 'speedup.svg'"), std::string::npos);
  EXPECT_NE(script.find("set xtics (1, 2, 4)"), std::string::npos) << script;

  const std::string eff = render_gnuplot_script(r, PlotKind::efficiency, {"png", false});
  EXPECT_NE(eff.find("\n1 100 "), std::string::npos) << eff;  // 100 % at p = 1
  EXPECT_NE(eff.find("80 title 'threshold 80.0 %'"), std::string::npos) << eff;
  EXPECT_NE(eff.find("set terminal png "), std::string::npos);
  EXPECT_EQ(eff.find("svg"), std::string::npos);
  EXPECT_TRUE(has_plot_data(r));
}

}  // namespace
}  // namespace fanout
