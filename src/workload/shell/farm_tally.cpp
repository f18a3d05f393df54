// Folding farm tasks into a FarmTally, and its byte form.
#include "workload/shell/farm_tally.hpp"

#include <algorithm>

#include "timing/byte_codec.hpp"
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

// Layout: the counts, busy_s, cpu_s, max_rss_kib; the count of slowest tasks and their Samples;
// the count of ranks and, per rank, its number and RankCounts.
std::vector<char> FarmTally::to_bytes() const {
  std::vector<char> out;
  for (std::uint64_t c : {ran, ok, failed, timed_out, stopped}) put_bytes(out, c);
  put_bytes(out, busy_s);
  put_bytes(out, cpu_s);
  put_bytes(out, max_rss_kib);
  put_bytes(out, static_cast<std::uint64_t>(slowest.size()));
  for (const Sample& s : slowest) put_bytes(out, s);
  put_bytes(out, static_cast<std::uint64_t>(per_rank.size()));
  for (const auto& [rank, counts] : per_rank) {
    put_bytes(out, static_cast<std::int64_t>(rank));
    put_bytes(out, counts);
  }
  return out;
}

void FarmTally::merge_bytes(std::span<const char> bytes) {
  ByteReader in(bytes, "FarmTally");
  for (std::uint64_t* c : {&ran, &ok, &failed, &timed_out, &stopped})
    *c += in.take<std::uint64_t>();
  busy_s += in.take<double>();
  cpu_s += in.take<double>();
  max_rss_kib = std::max(max_rss_kib, in.take<std::uint32_t>());
  const std::size_t slow = in.take_count(sizeof(Sample));
  for (std::size_t i = 0; i < slow; ++i) offer_slowest(in.take<Sample>());
  const std::size_t ranks = in.take_count(sizeof(std::int64_t) + sizeof(RankCounts));
  for (std::size_t r = 0; r < ranks; ++r) {
    const auto rank = static_cast<int>(in.take<std::int64_t>());
    const auto theirs = in.take<RankCounts>();
    RankCounts& mine = per_rank[rank];
    mine.tasks += theirs.tasks;
    mine.failed += theirs.failed;
  }
  in.expect_end();
}

}  // namespace fanout
