// Deterministic RunReports built by hand for the report tests.
#include "report_fixture.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "../temp_dir.hpp"
#include "job/job_options.hpp"
#include "report/sample_fold.hpp"
#include "workload/io/attempt.hpp"

namespace fanout::testing {

std::vector<Sample> mock_samples(int ranks, int workers, std::uint64_t tasks,
                                 const std::function<MockTask(TaskId)>& task) {
  std::vector<Sample> samples;
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
    samples.push_back(s);
  }
  return samples;
}

Repetition mock_repetition(const Workload& kind, double wall_s, int ranks, int workers,
                           std::span<const Sample> samples) {
  Repetition rep = fold_repetition(kind, samples, wall_s);
  for (int r = 0; r < ranks; ++r) {
    RankSummary rs;
    rs.rank = r;
    rs.host = r < 2 ? "node-a" : "node-b";
    rs.workers = workers;
    for (const Sample& s : samples) {
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

const std::vector<Sample>& MockReport::records_of(std::size_t run, std::size_t rep,
                                                  bool partial) const {
  for (const auto& [key, samples] : records) {
    if (key == Key{run, rep, partial}) return samples;
  }
  throw std::out_of_range("no records of that section");
}

void MockReport::add_run(ModelRun run, std::vector<std::vector<Sample>> reps_samples) {
  const std::size_t r = runs.size();
  runs.push_back(std::move(run));
  for (std::size_t k = 0; k < reps_samples.size(); ++k) {
    records.emplace_back(Key{r, k, false}, std::move(reps_samples[k]));
  }
}

std::vector<MockReport::Key> MockReport::measurement_order() const {
  std::size_t most = 0;
  for (const auto& run : runs) most = std::max(most, run.reps.size() + (run.partial ? 1 : 0));
  std::vector<Key> order;
  for (std::size_t k = 0; k < most; ++k) {
    for (std::size_t r = 0; r < runs.size(); ++r) {
      const bool partial = k == runs[r].reps.size() && runs[r].partial;
      if (k < runs[r].reps.size() || partial) order.emplace_back(r, k, partial);
    }
  }
  return order;
}

void stream(RecordFiles& files, const MockReport& report, std::size_t batch) {
  for (const auto& [r, k, partial] : report.measurement_order()) {
    const std::vector<Sample>& samples = report.records_of(r, k, partial);
    for (std::size_t at = 0; at < samples.size(); at += batch) {
      const std::size_t n = std::min(batch, samples.size() - at);
      files.add(report, r, k, partial, std::span<const Sample>(samples.data() + at, n));
    }
    files.end_section(r, k, partial);
  }
}

Published publish(MockReport report, std::size_t batch) {
  const test::ScratchDir dir("report-fixture");
  report.job.run.csv_path = dir / "tasks.csv";
  report.job.run.trace_path = dir / "trace.json";
  RecordFiles files(report.job);
  stream(files, report, batch);
  files.publish_csv(report);
  files.publish_trace(report);
  return {test::slurp(report.job.run.csv_path), test::slurp(report.job.run.trace_path)};
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

/// A run of `tasks` tasks per repetition, one repetition per wall; its records in `records`.
ModelRun model_run(const Workload& kind, Model model, int ranks, int workers,
                   std::vector<double> walls, std::uint64_t tasks,
                   const std::function<MockTask(TaskId)>& task,
                   std::vector<std::vector<Sample>>& records,
                   const std::function<void(std::size_t rep, std::vector<Sample>&)>& edit = {}) {
  ModelRun run;
  run.model = model;
  run.ranks = ranks;
  run.workers_per_rank = workers;
  run.tasks = tasks;
  records.clear();
  for (std::size_t k = 0; k < walls.size(); ++k) {
    std::vector<Sample> samples = mock_samples(ranks, workers, tasks, task);
    if (edit) edit(k, samples);
    run.reps.push_back(mock_repetition(kind, walls[k], ranks, workers, samples));
    records.push_back(std::move(samples));
  }
  return run;
}

}  // namespace

MockReport cpu_compare_report() {
  MockReport report;
  report.command = "compare";
  report.job = job_from_flags(
      {"--cpu.kernel", "fib", "--cpu.n", "27", "--cpu.count", "12", "--repeat", "3"});
  report.job.name = "fib";
  report.job.source = "jobs/fib.ini";
  report.env = mock_environment();
  const Workload& kind = *report.job.workload;
  auto fib = [](TaskId id) { return MockTask{0.15 + 0.01 * static_cast<double>(id % 4)}; };
  std::vector<std::vector<Sample>> records;
  const auto add = [&](Model model, int ranks, int workers, std::vector<double> walls) {
    ModelRun run = model_run(kind, model, ranks, workers, std::move(walls), 12, fib, records);
    report.add_run(std::move(run), std::move(records));
  };
  add(Model::serial, 1, 1, {2.0, 2.04, 1.98});
  add(Model::threads, 1, 2, {1.05, 1.0, 1.02});
  add(Model::async, 1, 1, {2.02, 2.0, 2.01});
  ModelRun hybrid = model_run(kind, Model::processes_threads, 3, 2, {0.40, 0.5, 0.42}, 12, fib,
                              records, [](std::size_t rep, std::vector<Sample>& samples) {
                                if (rep == 0) samples[3].error = ErrorClass::wrong_result;
                              });
  hybrid.schedule = Schedule::dynamic;
  hybrid.chunk = 2;
  hybrid.error_messages = {"task 3: fib(27) = 196417, expected 196418"};
  report.add_run(std::move(hybrid), std::move(records));
  report.base_index = 0;
  Recommendation rec;
  rec.bound = "cpu";
  rec.cpu_fraction = 0.99;
  rec.model = rec.fastest = Model::processes_threads;
  rec.speedup = 2.0 / 0.42;
  rec.why =
      "the serial run kept a core busy 99 % of its wall time, so only more cores help; "
      "processes+threads used the most cores";
  report.recommendation = rec;
  return report;
}

MockReport io_run_report() {
  MockReport report;
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
  std::vector<std::vector<Sample>> records;
  ModelRun run =
      model_run(*report.job.workload, Model::processes_async, 2, 4, {0.26}, 10, fetch, records);
  report.add_run(std::move(run), std::move(records));
  report.base_wall_s = 1.2;
  report.notes = {"ranks 0 and 1 share node-a's 2 cores with the embedded server"};
  return report;
}

MockReport stopped_compare_report() {
  MockReport report = cpu_compare_report();
  ModelRun& hybrid = report.runs[3];
  hybrid.reps.pop_back();
  std::erase_if(report.records, [](const auto& section) {
    return section.first == MockReport::Key{3, 2, false};
  });
  std::vector<Sample> cut = mock_samples(
      3, 2, 5, [](TaskId id) { return MockTask{0.15 + 0.01 * static_cast<double>(id % 4)}; });
  hybrid.partial = mock_repetition(*report.job.workload, 0.21, 3, 2, cut);
  report.records.emplace_back(MockReport::Key{3, 2, true}, std::move(cut));
  report.incomplete = true;
  report.stopped_by = "SIGTERM";
  return report;
}

}  // namespace fanout::testing
