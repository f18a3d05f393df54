// Session: `run` and `compare` — which models, how many repetitions, the base case, partial output.
#pragma once

#include <functional>

#include "exec/stop_flag.hpp"
#include "mpi/world.hpp"
#include "report/record_files.hpp"
#include "report/run_report.hpp"
#include "run/run_options.hpp"
#include "workload/workload.hpp"

namespace fanout {

/// Called on rank 0 after every measurement with the report so far (to write partial results),
/// unless a stop ended the session there.
using ProgressFn = std::function<void(const RunReport&, const std::string& just_measured)>;

/// What the session calls on rank 0 to show and keep what it measured.
struct SessionHooks {
  /// After every measurement but one a stop ended. May throw (a failed write): the session then
  /// ends on every rank at that point, with SessionOutcome::error.
  ProgressFn progress;
  /// Once, on the stop relay's thread, the moment rank 0 learns of a stop (its own signal or
  /// another rank's), while the tasks in flight still run: the report so far, marked incomplete
  /// and stopped_by, so that it is on disk even if a launcher's SIGKILL comes before the session
  /// ends (mpirun kills rank 0 one odls_base_sigkill_timeout after passing on a SIGTERM). What it
  /// throws is dropped; the final write reports any error.
  std::function<void(const RunReport&)> stopped;
  /// On rank 0 (may be null): where every measurement's task records go as they arrive, before
  /// `progress` is called for it. A failed write ends the session as `progress` throwing does.
  RecordFiles* records = nullptr;
};

/// How a session ended.
struct SessionOutcome {
  RunReport report;  ///< complete on rank 0 (as far as it got, when stopped); empty elsewhere
  /// On every rank: the stop (a signal, a farm's halt) that ended the session before every
  /// measurement was done, or none.
  StopReason stop;
  /// On every rank: the error that ended the session early (rank 0 could not write the partial
  /// results), or empty.
  std::string error;
};

/// One measured entry of a session: a model, at its placement's workers times width_factor
/// (compare of a farm also measures its event loops with more slots).
struct ModelEntry {
  Model model = Model::serial;
  int width_factor = 1;
};

/// What a session measures, in order: compare's models (the job's list, or the kind's) at each
/// of the kind's width factors, or run's one model; the serial base case first when --base
/// measure.
std::vector<ModelEntry> session_entries(const RunCommand& cmd);

/// Collective. Measures every model of the invocation `repeat` times, round-robin (model after
/// model within a repetition, so slow drift of the machine spreads over all models). The base case
/// (serial, on rank 0) is measured first when --base measure (the default) and it is not already
/// in the list.
/// `stop` is this rank's stop flag (may be null). While the session runs, a StopRelay sets every
/// rank's flag once any rank's is set, so a signal to a single rank's pid (or to mpirun) stops
/// every rank's engines after the tasks in flight. After each measurement the ranks agree whether
/// any of them was stopped, and all leave the loop together. A repetition cut short goes to
/// ModelRun::partial, not to reps; the report then says incomplete and stopped_by.
/// After each measurement every rank streams its spooled task records (Measurement::records) to
/// rank 0 in bounded rounds (stream_samples), into hooks.records.
SessionOutcome run_session(World& world, const RunCommand& cmd, BoundWorkload& workload,
                           const Environment& env, const SessionHooks& hooks, StopFlag* stop);

}  // namespace fanout
