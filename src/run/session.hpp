// Session: `run` and `compare` — which models, how many repetitions, the base case, partial output.
#pragma once

#include <functional>

#include "exec/stop_flag.hpp"
#include "mpi/world.hpp"
#include "report/run_report.hpp"
#include "run/run_options.hpp"
#include "workload/workload.hpp"

namespace fanout {

/// Called on rank 0 after every measurement with the report so far (to write partial results),
/// unless a stop ended the session there.
using ProgressFn = std::function<void(const RunReport&, const std::string& just_measured)>;

/// How a session ended.
struct SessionOutcome {
  RunReport report;  ///< complete on rank 0 (as far as it got, when stopped); empty elsewhere
  /// On every rank: the signal that ended the session before every measurement was done, or 0.
  int stop_signal = 0;
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
/// `stop` is this rank's stop flag (may be null). Before the first measurement and after each one
/// the ranks agree whether any of them was signalled, and all leave the loop together; a signal
/// to a single rank's pid thus stops every rank after the measurement under way (which that rank
/// cuts short, while the others finish their share). A repetition cut short goes to
/// ModelRun::partial, not to reps; the report then says incomplete and stopped_by.
SessionOutcome run_session(World& world, const RunCommand& cmd, BoundWorkload& workload,
                           const Environment& env, const ProgressFn& progress, StopFlag* stop);

}  // namespace fanout
