// The repetition loop over models, and the set-up warnings it can see before measuring.
#include "app/session.hpp"

#include <algorithm>

#include "app/measure.hpp"
#include "app/placement.hpp"
#include "app/topology.hpp"

namespace fanout {
namespace {

std::vector<Model> models_of(const Invocation& inv) {
  const JobSpec& job = inv.job;
  std::vector<Model> models;
  if (inv.command == Command::compare) {
    models = job.run.models.empty() ? compare_models(job.workload) : job.run.models;
  } else {
    models = {job.run.model};
  }
  if (inv.base.mode == BaseCase::Mode::measure) {
    std::erase(models, Model::serial);
    models.insert(models.begin(), Model::serial);
  }
  return models;
}

void add_setup_notes(RunReport& report, const std::vector<Model>& models, const Topology& topo) {
  for (Model model : models) {
    const Placement p = place(model, report.job, topo);
    const bool threaded = model == Model::threads || model == Model::processes_threads;
    if (threaded && report.job.workload == WorkloadKind::cpu && p.threads > topo.affinity_cores) {
      report.notes.push_back(to_string(model) + ": " + std::to_string(p.threads) +
                             " threads on a rank bound to " + std::to_string(topo.affinity_cores) +
                             " core(s); launch with mpirun --bind-to none, or give each rank "
                             "cores (--map-by slot:PE=N, srun -c N)");
    }
  }
}

}  // namespace

RunReport run_session(World& world, const Invocation& inv, WorkloadBinding& workload,
                      const Environment& env, const ProgressFn& progress) {
  const JobSpec& job = inv.job;
  const Topology topo = topology_of(world);
  const std::vector<Model> models = models_of(inv);

  RunReport report;
  report.command = inv.command == Command::compare ? "compare" : "run";
  report.job = job;
  report.env = env;
  if (inv.base.mode == BaseCase::Mode::measure) report.base_index = 0;
  if (inv.base.mode == BaseCase::Mode::given) report.base_wall_s = inv.base.wall_s;
  add_setup_notes(report, models, topo);
  for (Model model : models) {
    const Placement p = place(model, job, topo);
    ModelRun run;
    run.model = model;
    run.ranks = p.participants;
    run.workers_per_rank = p.workers;
    run.schedule = is_distributed(model) ? job.run.schedule : Schedule::static_block;
    run.tasks = workload.count();
    report.runs.push_back(run);
  }

  report.incomplete = true;
  for (int rep = 0; rep < job.run.repeat; ++rep) {
    for (std::size_t i = 0; i < models.size(); ++i) {
      const Placement p = place(models[i], job, topo);
      Measurement m = measure(world, workload, models[i], p, job);
      if (!world.is_root()) continue;
      ModelRun& run = report.runs[i];
      run.chunk = m.chunk;
      run.reps.push_back(std::move(m.rep));
      for (auto& msg : m.error_messages) {
        if (run.error_messages.size() < 10 &&
            std::find(run.error_messages.begin(), run.error_messages.end(), msg) ==
                run.error_messages.end()) {
          run.error_messages.push_back(std::move(msg));
        }
      }
      const bool last = rep + 1 == job.run.repeat && i + 1 == models.size();
      report.incomplete = !last;
      if (progress) {
        progress(report, to_string(models[i]) + " " + std::to_string(rep + 1) + "/" +
                             std::to_string(job.run.repeat));
      }
    }
  }
  report.incomplete = false;
  if (!world.is_root()) return RunReport{};
  return report;
}

}  // namespace fanout
