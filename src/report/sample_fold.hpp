// SampleFold: the one fold of task records into a repetition's tallies, used by the measuring loop
// on every rank as the engines hand their samples over, and by anything else that has samples.
#pragma once

#include <memory>
#include <span>

#include "report/run_report.hpp"
#include "timing/record.hpp"
#include "timing/task_tally.hpp"
#include "workload/kind_tally.hpp"
#include "workload/workload.hpp"

namespace fanout {

/// Folds samples into a TaskTally (every sample; the histogram only for those the kind keeps one
/// of, RecordSpec::in_histogram) and into the kind's own KindTally (Workload::make_tally), so that
/// no process holds every task's record to summarise a run. Not thread-safe: callers serialise
/// add().
class SampleFold {
 public:
  explicit SampleFold(const Workload& kind);

  void add(std::span<const Sample> batch);

  const TaskTally& tally() const { return tally_; }
  /// The kind's tally; null for a kind that keeps none.
  const KindTally* kind_tally() const { return kind_tally_.get(); }

  /// Tallies merged from ranks' bytes (encode(TaskTally), KindTally::to_bytes): rank 0's side of
  /// the gather. `kind_bytes` is empty for a kind that keeps no tally.
  void merge_bytes(std::span<const char> tally_bytes, std::span<const char> kind_bytes);

  /// The tallies as a Repetition holds them; its wall and per-rank figures are the caller's.
  Repetition repetition() &&;

 private:
  bool (*in_histogram_)(const Sample&);
  TaskTally tally_;
  std::unique_ptr<KindTally> kind_tally_;
};

/// A repetition of `samples` folded by SampleFold, with `wall_s`: the report a run of these tasks
/// gives (per_rank left empty).
Repetition fold_repetition(const Workload& kind, std::span<const Sample> samples,
                           double wall_s = 0);

}  // namespace fanout
