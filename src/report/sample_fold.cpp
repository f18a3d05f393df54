// Folding samples into a repetition's task and kind tallies, and merging ranks' tallies.
#include "report/sample_fold.hpp"

#include "timing/byte_codec.hpp"

namespace fanout {

SampleFold::SampleFold(const Workload& kind)
    : in_histogram_(kind.records().in_histogram), kind_tally_(kind.make_tally()) {}

void SampleFold::add(std::span<const Sample> batch) {
  for (const Sample& s : batch) tally_.add(s, in_histogram_ && in_histogram_(s));
  if (kind_tally_) {
    for (const Sample& s : batch) kind_tally_->add(s);
  }
}

void SampleFold::merge_bytes(std::span<const char> tally_bytes, std::span<const char> kind_bytes) {
  tally_.merge(decode<TaskTally>(tally_bytes, "TaskTally"));
  if (kind_tally_) kind_tally_->merge_bytes(kind_bytes);
}

Repetition SampleFold::repetition() && {
  Repetition rep;
  rep.tally = std::move(tally_);
  rep.kind_tally = std::move(kind_tally_);
  return rep;
}

Repetition fold_repetition(const Workload& kind, std::span<const Sample> samples, double wall_s) {
  SampleFold fold(kind);
  fold.add(samples);
  Repetition rep = std::move(fold).repetition();
  rep.wall_s = wall_s;
  return rep;
}

}  // namespace fanout
