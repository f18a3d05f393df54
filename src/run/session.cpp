// The repetition loop over models, and the set-up warnings it can see before measuring.
#include "run/session.hpp"

#include <algorithm>
#include <mutex>

#include "exec/error_log.hpp"
#include "launch/stop_request.hpp"
#include "mpi/gather.hpp"
#include "mpi/stop_relay.hpp"
#include "run/measure.hpp"
#include "run/placement.hpp"
#include "run/topology.hpp"

namespace fanout {
namespace {

/// The placement of one measured entry: the model's, its workers widened by the entry's factor.
Placement place_entry(const ModelEntry& e, const JobSpec& job, const Topology& topo) {
  Placement p = place(e.model, job, topo);
  p.workers *= e.width_factor;
  if (threaded(e.model)) p.threads *= e.width_factor;
  return p;
}

void add_setup_notes(RunReport& report, const std::vector<ModelEntry>& models,
                     const Topology& topo) {
  for (const ModelEntry& entry : models) {
    const Model model = entry.model;
    const Placement p = place_entry(entry, report.job, topo);
    if (threaded(model) && report.job.workload->placement().uses_cores &&
        p.threads > topo.affinity_cores) {
      report.notes.push_back(to_string(model) + ": " + std::to_string(p.threads) +
                             " threads on a rank bound to " + std::to_string(topo.affinity_cores) +
                             " core(s); launch with mpirun --bind-to none, or give each rank "
                             "cores (--map-by slot:PE=N, srun -c N)");
    }
  }
}

}  // namespace

std::vector<ModelEntry> session_entries(const RunCommand& cmd) {
  const JobSpec& job = cmd.job;
  std::vector<Model> models;
  if (cmd.compare) {
    models = job.run.models.empty() ? job.workload->models().compare : job.run.models;
  } else {
    models = {job.run.model};
  }
  if (cmd.base.mode == BaseOption::Mode::measure) {
    std::erase(models, Model::serial);
    models.insert(models.begin(), Model::serial);
  }
  std::vector<ModelEntry> entries;
  for (Model m : models) {
    // A kind that tunes its slots (the farm) is also compared at wider event loops: whether its
    // tasks overlap.
    const bool wider = cmd.compare && event_loop(m) && job.workload->placement().tunes_slots;
    const std::vector<int> factors =
        wider ? std::vector<int>{1, kCompareWiderSlots} : std::vector<int>{1};
    for (int f : factors) entries.push_back({m, std::max(1, f)});
  }
  return entries;
}

SessionOutcome run_session(World& world, const RunCommand& cmd, BoundWorkload& workload,
                           const Environment& env, const SessionHooks& hooks, StopFlag* stop) {
  const JobSpec& job = cmd.job;
  const Topology topo = topology_of(world);
  const std::vector<ModelEntry> models = session_entries(cmd);

  RunReport report;
  report.command = cmd.compare ? "compare" : "run";
  report.job = job;
  report.env = env;
  if (cmd.base.mode == BaseOption::Mode::measure) report.base_index = 0;
  if (cmd.base.mode == BaseOption::Mode::given) report.base_wall_s = cmd.base.wall_s;
  add_setup_notes(report, models, topo);
  for (const ModelEntry& entry : models) {
    const Model model = entry.model;
    const Placement p = place_entry(entry, job, topo);
    ModelRun run;
    run.model = model;
    run.ranks = p.participants;
    run.workers_per_rank = p.workers;
    run.schedule = is_distributed(model) ? job.run.schedule : Schedule::static_block;
    run.tasks = workload.count();
    report.runs.push_back(run);
  }

  StopFlag no_signals;
  StopFlag& flag = stop ? *stop : no_signals;
  // The report as the relay thread may see it: it changes only under this lock.
  std::mutex report_mutex;
  std::function<void(StopReason)> on_stop;
  if (world.is_root() && hooks.stopped) {
    on_stop = [&](StopReason why) {
      std::lock_guard lock(report_mutex);
      report.incomplete = true;
      report.stopped_by = stop_name(why);
      hooks.stopped(report);
    };
  }
  StopRelay relay(world, flag, std::move(on_stop));

  report.incomplete = true;
  // The largest reason any rank saw (a halt over a signal, SIGTERM over SIGINT), the same on every
  // rank, so that all ranks leave the loop at the same point and none waits in a collective the
  // others skip.
  const auto agreed_stop = [&] {
    return StopReason::from_code(world.agree_max(flag.reason().code()));
  };
  StopReason stopped = agreed_stop();  // a signal during set-up: nothing is measured
  std::optional<std::string> failure;
  for (int rep = 0; rep < job.run.repeat && !stopped && !failure; ++rep) {
    for (std::size_t i = 0; i < models.size() && !stopped && !failure; ++i) {
      const Placement p = place_entry(models[i], job, topo);
      Measurement m = measure(world, workload, models[i].model, p, job, &flag);
      stopped = agreed_stop();
      std::optional<std::string> write_error;
      std::size_t rep_index = 0;  // on rank 0: where the measurement went
      bool cut = false;
      if (world.is_root()) {
        std::lock_guard lock(report_mutex);
        ModelRun& run = report.runs[i];
        run.chunk = m.chunk;
        // Cut: tasks never started, or tasks the stop ended in flight (a farm's commands).
        const TaskTally& tally = m.rep.tally;
        cut = static_cast<bool>(stopped) && (tally.ran < run.tasks || tally.stopped > 0);
        rep_index = run.reps.size();
        if (cut) {
          run.partial = std::move(m.rep);
        } else {
          run.reps.push_back(std::move(m.rep));
        }
        ErrorLog::merge_into(run.error_messages, m.error_messages);
        const bool last = rep + 1 == job.run.repeat && i + 1 == models.size();
        report.incomplete = !last;
      }
      // The records of this measurement to rank 0's per-task files, a bounded round at a time.
      stream_samples(world, m.records, [&](std::span<const Sample> batch) {
        if (!hooks.records || write_error) return;
        std::lock_guard lock(report_mutex);
        try {
          hooks.records->add(report, i, rep_index, cut, batch);
        } catch (const std::exception& e) {
          write_error = e.what();
        }
      });
      m.records = SampleSpool();
      if (world.is_root()) {
        std::lock_guard lock(report_mutex);
        if (hooks.records) hooks.records->end_section(i, rep_index, cut);
        // Stopped: the caller writes the final files next, and the time before SIGKILL is short.
        if (hooks.progress && !stopped && !write_error) {
          try {
            hooks.progress(report, to_string(models[i].model) + " " + std::to_string(rep + 1) +
                                       "/" + std::to_string(job.run.repeat));
          } catch (const std::exception& e) {
            write_error = e.what();
          }
        }
      }
      // A failed write of the partial results ends the run on every rank, here, together.
      failure = world.agree_error(write_error);
    }
  }
  relay.close();
  bool complete = true;  // on rank 0
  for (const auto& run : report.runs) {
    complete = complete && run.reps.size() == static_cast<std::size_t>(job.run.repeat);
  }
  if (stopped) {
    // A signal during the last measurement that cut nothing leaves a complete run; only rank 0
    // can tell, and its verdict reaches every rank (the others pass 0, below any signal).
    const int mine = world.is_root() && !complete ? stopped.code() : 0;
    stopped = StopReason::from_code(world.agree_max(mine));
  }
  SessionOutcome out;
  out.stop = stopped;
  if (failure) out.error = *failure;
  if (!world.is_root()) return out;
  report.incomplete = !complete;
  report.stopped_by = stopped ? stop_name(stopped) : "";
  if (failure && !complete) report.ended_by_error = *failure;
  out.report = std::move(report);
  return out;
}

}  // namespace fanout
