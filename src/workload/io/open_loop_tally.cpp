// Folding open-loop requests into per-step histograms and counts, and merging them.
#include "workload/io/open_loop_tally.hpp"

#include <algorithm>

#include "workload/io/attempt.hpp"
#include "workload/io/open_loop.hpp"

namespace fanout {

void SendSpan::add(double sent_s) {
  first_s = count == 0 ? sent_s : std::min(first_s, sent_s);
  last_s = count == 0 ? sent_s : std::max(last_s, sent_s);
  ++count;
}

void SendSpan::merge(const SendSpan& o) {
  if (o.count == 0) return;
  first_s = count == 0 ? o.first_s : std::min(first_s, o.first_s);
  last_s = count == 0 ? o.last_s : std::max(last_s, o.last_s);
  count += o.count;
}

double SendSpan::rate() const {
  const double span = last_s - first_s;
  return count >= 2 && span > 0 ? static_cast<double>(count - 1) / span : 0;
}

void StepTally::merge(const StepTally& o) {
  corrected.merge(o.corrected);
  uncorrected.merge(o.uncorrected);
  sent.merge(o.sent);
  for (const auto& [rank, span] : o.ranks) ranks[rank].merge(span);
  queued += o.queued;
  late += o.late;
  dropped += o.dropped;
  failed += o.failed;
  generator.merge(o.generator);
}

StepTally& OpenLoopTally::step(std::size_t i) {
  if (steps_.size() <= i) steps_.resize(i + 1);
  return steps_[i];
}

void OpenLoopTally::add(const Sample& s, bool answered) {
  const HttpFields f = kind_fields<HttpFields>(s);
  if ((f.open_loop & kPaced) == 0) return;
  StepTally& t = step(f.step);
  if ((f.open_loop & kDropped) != 0) {
    ++t.dropped;
    return;
  }
  const double sent_s = f.intended_s + static_cast<double>(f.send_wait_s);
  t.sent.add(sent_s);
  t.ranks[s.rank].add(sent_s);
  if ((f.open_loop & kQueued) != 0) ++t.queued;
  if ((f.open_loop & kLate) != 0) ++t.late;
  t.generator.add({f.driver_cpu_pct, f.driver_wait_pct}, (f.open_loop & kQueued) != 0,
                  (f.open_loop & kLate) != 0);
  if (!answered) {
    ++t.failed;
    return;
  }
  const double end_s = s.start_s + s.duration_s;
  t.corrected.record(end_s - f.intended_s);
  t.uncorrected.record(end_s - sent_s);
}

void OpenLoopTally::merge(const OpenLoopTally& o) {
  for (std::size_t i = 0; i < o.steps_.size(); ++i) step(i).merge(o.steps_[i]);
}

StepTally OpenLoopTally::total() const {
  StepTally all;
  for (const StepTally& t : steps_) all.merge(t);
  return all;
}

}  // namespace fanout
