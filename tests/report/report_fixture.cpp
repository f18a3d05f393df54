// Deterministic RunReports built by hand for the report tests.
#include "report_fixture.hpp"

#include <algorithm>
#include <map>

#include "job/job_options.hpp"
#include "workload/io/attempt.hpp"

namespace fanout::testing {

Repetition mock_repetition(double wall_s, int ranks, int workers, std::uint64_t tasks,
                           const std::function<MockTask(TaskId)>& task) {
  Repetition rep;
  rep.wall_s = wall_s;
  std::map<std::pair<int, int>, double> slot_end;
  std::vector<std::uint64_t> rank_tasks(static_cast<std::size_t>(ranks), 0);
  for (TaskId id = 0; id < tasks; ++id) {
    const MockTask t = task(id);
    Sample s;
    s.id = id;
    s.rank = static_cast<std::int32_t>(id % static_cast<TaskId>(ranks));
    s.worker = static_cast<std::int32_t>(rank_tasks[static_cast<std::size_t>(s.rank)]++ %
                                         static_cast<std::uint64_t>(workers));
    double& end = slot_end[{s.rank, s.worker}];
    s.start_s = end;
    s.duration_s = t.duration_s;
    end += t.duration_s;
    s.error = t.error;
    if (t.http_status != 0 || t.bytes != 0) {
      HttpFields f;
      f.http_status = t.http_status;
      f.bytes = t.bytes;
      f.dns_s = 0.000125f;
      f.connect_s = 0.00025f;
      f.ttfb_s = static_cast<float>(t.duration_s * 0.9);
      set_kind_fields(s, f);
    }
    rep.samples.push_back(s);
  }
  for (int r = 0; r < ranks; ++r) {
    RankSummary rs;
    rs.rank = r;
    rs.host = r < 2 ? "node-a" : "node-b";
    rs.workers = workers;
    for (const Sample& s : rep.samples) {
      if (s.rank != r) continue;
      ++rs.tasks;
      rs.failed += s.ok() ? 0 : 1;
      rs.busy_s += s.duration_s;
      rs.wall_s = std::max(rs.wall_s, s.start_s + s.duration_s);
    }
    rs.idle_s = std::max(0.0, workers * rs.wall_s - rs.busy_s);
    rs.cpu_user_s = 0.98 * rs.busy_s;
    rs.cpu_sys_s = 0.01 * rs.busy_s;
    rep.per_rank.push_back(rs);
  }
  return rep;
}

Environment mock_environment() {
  Environment env;
  env.hosts = {"node-a", "node-a", "node-b"};
  env.world_size = 3;
  env.nodes = 2;
  env.cores_per_node = 2;
  env.cores_available = 2;
  env.binding = "unbound";
  env.mpi_library = "Open MPI v4.1.4";
  env.compiler = "g++ 12.2.0";
  env.openmp = "OMP_NUM_THREADS=2";
  env.fanout_version = "0.1.0";
  env.started_at = "2024-05-01T12:00:00Z";
  env.command_line = "fanout compare jobs/fib.ini --repeat 3";
  env.clock_resolution_s = 2e-8;
  return env;
}

namespace {

ModelRun model_run(Model model, int ranks, int workers, std::vector<double> walls,
                   std::uint64_t tasks, const std::function<MockTask(TaskId)>& task) {
  ModelRun run;
  run.model = model;
  run.ranks = ranks;
  run.workers_per_rank = workers;
  run.tasks = tasks;
  for (double w : walls) run.reps.push_back(mock_repetition(w, ranks, workers, tasks, task));
  return run;
}

}  // namespace

RunReport cpu_compare_report() {
  RunReport report;
  report.command = "compare";
  report.job = job_from_flags({"--cpu.kernel", "fib", "--cpu.n", "27", "--cpu.count", "12",
                               "--repeat", "3"});
  report.job.name = "fib";
  report.job.source = "jobs/fib.ini";
  report.env = mock_environment();
  auto fib = [](TaskId id) { return MockTask{0.15 + 0.01 * static_cast<double>(id % 4)}; };
  report.runs.push_back(model_run(Model::serial, 1, 1, {2.0, 2.04, 1.98}, 12, fib));
  report.runs.push_back(model_run(Model::threads, 1, 2, {1.05, 1.0, 1.02}, 12, fib));
  report.runs.push_back(model_run(Model::async, 1, 1, {2.02, 2.0, 2.01}, 12, fib));
  ModelRun hybrid = model_run(Model::processes_threads, 3, 2, {0.40, 0.5, 0.42}, 12, fib);
  hybrid.schedule = Schedule::dynamic;
  hybrid.chunk = 2;
  hybrid.reps[0].samples[3].error = ErrorClass::wrong_result;
  hybrid.reps[0].per_rank[0].failed = 1;
  hybrid.error_messages = {"task 3: fib(27) = 196417, expected 196418"};
  report.runs.push_back(hybrid);
  report.base_index = 0;
  Recommendation rec;
  rec.bound = "cpu";
  rec.cpu_fraction = 0.99;
  rec.model = rec.fastest = Model::processes_threads;
  rec.speedup = 2.0 / 0.42;
  rec.why = "the serial run kept a core busy 99 % of its wall time, so only more cores help; "
            "processes+threads used the most cores";
  report.recommendation = rec;
  return report;
}

RunReport io_run_report() {
  RunReport report;
  report.command = "run";
  report.job = job_from_flags({"--workload", "io", "--io.url", "serve:/delay/100", "--io.url",
                               "serve:/bytes/1000", "--io.repeat", "5", "--io.concurrency", "4",
                               "--io.timeout", "250ms", "--model", "processes+async"});
  report.job.name = "sites";
  report.job.source = "jobs/sites.ini";
  report.env = mock_environment();
  report.env.command_line = "fanout run jobs/sites.ini --model processes+async";
  report.env.world_size = 2;
  report.env.hosts = {"node-a", "node-a"};
  report.env.nodes = 1;
  auto fetch = [](TaskId id) {
    MockTask t{0.1 + 0.002 * static_cast<double>(id % 5), ErrorClass::none, 200, 1000};
    if (id == 3) t = {0.25, ErrorClass::timeout, 0, 0};
    if (id == 7) t = {0.05, ErrorClass::http_5xx, 503, 20};
    return t;
  };
  report.runs.push_back(model_run(Model::processes_async, 2, 4, {0.26}, 10, fetch));
  report.base_wall_s = 1.2;
  report.notes = {"ranks 0 and 1 share node-a's 2 cores with the embedded server"};
  return report;
}

RunReport stopped_compare_report() {
  RunReport report = cpu_compare_report();
  ModelRun& hybrid = report.runs[3];
  hybrid.reps.pop_back();
  hybrid.partial = mock_repetition(0.21, 3, 2, 5, [](TaskId id) {
    return MockTask{0.15 + 0.01 * static_cast<double>(id % 4)};
  });
  report.incomplete = true;
  report.stopped_by = "SIGTERM";
  return report;
}

}  // namespace fanout::testing
