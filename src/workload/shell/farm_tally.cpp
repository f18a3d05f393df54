// Folding farm tasks into a FarmTally, and merging tallies.
#include "workload/shell/farm_tally.hpp"

#include <algorithm>

#include "workload/shell/shell_fields.hpp"

namespace fanout {
namespace {

bool failed_run(ErrorClass e) {
  return e == ErrorClass::exit_status || e == ErrorClass::signaled || e == ErrorClass::not_started;
}

/// The order of FarmTally::slowest: longer first, then lower id, so that the tasks named do not
/// depend on which rank ran which or in what order the tallies merged.
bool slower(const Sample& a, const Sample& b) {
  return a.duration_s != b.duration_s ? a.duration_s > b.duration_s : a.id < b.id;
}

}  // namespace

void FarmTally::add(const Sample& s) {
  ++ran;
  if (s.error == ErrorClass::none) ++ok;
  if (failed_run(s.error)) ++failed;
  if (s.error == ErrorClass::timeout) ++timed_out;
  if (s.error == ErrorClass::stopped) ++stopped;
  busy_s += s.duration_s;
  const ShellFields f = shell_fields(s);
  cpu_s += static_cast<double>(f.user_s) + static_cast<double>(f.sys_s);
  max_rss_kib = std::max(max_rss_kib, f.max_rss_kib);
  RankCounts& mine = per_rank[s.rank];
  ++mine.tasks;
  if (!s.ok()) ++mine.failed;
  offer_slowest(s);
}

void FarmTally::offer_slowest(const Sample& s) {
  if (slowest.size() == kSlowest && !slower(s, slowest.back())) return;
  slowest.insert(std::upper_bound(slowest.begin(), slowest.end(), s, slower), s);
  if (slowest.size() > kSlowest) slowest.pop_back();
}

void FarmTally::merge(const FarmTally& other) {
  ran += other.ran;
  ok += other.ok;
  failed += other.failed;
  timed_out += other.timed_out;
  stopped += other.stopped;
  busy_s += other.busy_s;
  cpu_s += other.cpu_s;
  max_rss_kib = std::max(max_rss_kib, other.max_rss_kib);
  for (const Sample& s : other.slowest) offer_slowest(s);
  for (const auto& [rank, theirs] : other.per_rank) {
    RankCounts& mine = per_rank[rank];
    mine.tasks += theirs.tasks;
    mine.failed += theirs.failed;
  }
}

}  // namespace fanout
