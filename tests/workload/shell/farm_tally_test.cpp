// FarmTally: outcome counts, times, peak memory and tasks per rank sum across ranks, the slowest
// tasks merged across ranks are the slowest of all, and the farm's figures from a merged tally are
// those of one pass over every sample.
#include "workload/shell/farm_tally.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "workload/shell/farm_summary.hpp"
#include "workload/shell/shell_fields.hpp"

namespace fanout {
namespace {

Sample task(TaskId id, int rank, double seconds, ErrorClass error, float cpu_s,
            std::uint32_t rss_kib) {
  Sample s;
  s.id = id;
  s.rank = rank;
  s.worker = static_cast<int>(id % 2);
  s.duration_s = seconds;
  s.error = error;
  ShellFields f;
  f.seq = static_cast<std::uint32_t>(id + 1);
  f.exit_code = error == ErrorClass::exit_status ? 3 : 0;
  f.user_s = cpu_s * 0.75f;
  f.sys_s = cpu_s * 0.25f;
  f.max_rss_kib = rss_kib;
  set_kind_fields(s, f);
  return s;
}

/// 1000 tasks over 3 ranks with random durations (ties among them), every outcome.
std::vector<Sample> farm_run() {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int> ms(1, 400);
  std::vector<Sample> out;
  for (TaskId id = 0; id < 1000; ++id) {
    ErrorClass e = ErrorClass::none;
    if (id % 11 == 0) e = ErrorClass::exit_status;
    if (id % 37 == 0) e = ErrorClass::signaled;
    if (id % 53 == 0) e = ErrorClass::timeout;
    if (id % 101 == 0) e = ErrorClass::stopped;
    if (id % 211 == 0) e = ErrorClass::not_started;
    const double seconds = 0.001 * ms(rng);
    out.push_back(task(id, static_cast<int>(id % 3), seconds, e, static_cast<float>(seconds / 4),
                       static_cast<std::uint32_t>(1000 + (id * 7919) % 5000)));
  }
  return out;
}

FarmTally merged_over_ranks(const std::vector<Sample>& samples, int ranks) {
  std::vector<FarmTally> per(static_cast<std::size_t>(ranks));
  for (const Sample& s : samples) per[static_cast<std::size_t>(s.rank)].add(s);
  FarmTally merged;
  for (const FarmTally& r : per) merged.merge_bytes(r.to_bytes());
  return merged;
}

TEST(FarmTally, CountsOutcomesTimesAndPeakMemory) {
  FarmTally t;
  t.add(task(0, 0, 1.0, ErrorClass::none, 0.5f, 100));
  t.add(task(1, 0, 2.0, ErrorClass::exit_status, 0.25f, 300));
  t.add(task(2, 1, 0.5, ErrorClass::timeout, 0, 200));
  t.add(task(3, 1, 0.5, ErrorClass::stopped, 0, 50));
  EXPECT_EQ(t.ran, 4u);
  EXPECT_EQ(t.ok, 1u);
  EXPECT_EQ(t.failed, 1u);
  EXPECT_EQ(t.timed_out, 1u);
  EXPECT_EQ(t.stopped, 1u);
  EXPECT_DOUBLE_EQ(t.busy_s, 4.0);
  EXPECT_DOUBLE_EQ(t.cpu_s, 0.75);
  EXPECT_EQ(t.max_rss_kib, 300u);
  EXPECT_EQ(t.per_rank.at(0).tasks, 2u);
  EXPECT_EQ(t.per_rank.at(0).failed, 1u);
  EXPECT_EQ(t.per_rank.at(1).failed, 2u);
  ASSERT_EQ(t.task_cpu_fraction().has_value(), true);
  EXPECT_DOUBLE_EQ(*t.task_cpu_fraction(), 0.75 / 4.0);
  EXPECT_FALSE(FarmTally{}.task_cpu_fraction().has_value());
  // Longest first; the two of 0.5 s in id order.
  ASSERT_EQ(t.slowest.size(), 4u);
  EXPECT_EQ(t.slowest[0].id, 1u);
  EXPECT_EQ(t.slowest[1].id, 0u);
  EXPECT_EQ(t.slowest[2].id, 2u);
  EXPECT_EQ(t.slowest[3].id, 3u);
}

TEST(FarmTally, SlowestAcrossRanksAreTheSlowestOfAll) {
  const std::vector<Sample> all = farm_run();
  std::vector<Sample> sorted = all;
  std::sort(sorted.begin(), sorted.end(), [](const Sample& a, const Sample& b) {
    return a.duration_s != b.duration_s ? a.duration_s > b.duration_s : a.id < b.id;
  });
  FarmTally one_pass;
  for (const Sample& s : all) one_pass.add(s);
  for (const FarmTally& t : {one_pass, merged_over_ranks(all, 3)}) {
    ASSERT_EQ(t.slowest.size(), FarmTally::kSlowest);
    for (std::size_t k = 0; k < FarmTally::kSlowest; ++k) {
      EXPECT_EQ(t.slowest[k].id, sorted[k].id) << k;
      EXPECT_EQ(t.slowest[k].duration_s, sorted[k].duration_s) << k;
    }
  }
  // The ranks merged in another order name the same tasks.
  std::vector<FarmTally> per(3);
  for (const Sample& s : all) per[static_cast<std::size_t>(s.rank)].add(s);
  FarmTally backwards;
  for (int r = 2; r >= 0; --r) backwards.merge(per[static_cast<std::size_t>(r)]);
  for (std::size_t k = 0; k < FarmTally::kSlowest; ++k)
    EXPECT_EQ(backwards.slowest[k].id, sorted[k].id);
}

TEST(FarmTally, MergedRanksGiveTheFiguresOfOnePass) {
  const std::vector<Sample> all = farm_run();
  FarmTally one_pass;
  for (const Sample& s : all) one_pass.add(s);
  const FarmTally merged = merged_over_ranks(all, 3);
  EXPECT_EQ(merged.ran, one_pass.ran);
  EXPECT_EQ(merged.ok, one_pass.ok);
  EXPECT_EQ(merged.failed, one_pass.failed);
  EXPECT_EQ(merged.timed_out, one_pass.timed_out);
  EXPECT_EQ(merged.stopped, one_pass.stopped);
  EXPECT_EQ(merged.max_rss_kib, one_pass.max_rss_kib);
  for (const auto& [rank, c] : one_pass.per_rank) {
    EXPECT_EQ(merged.per_rank.at(rank).tasks, c.tasks);
    EXPECT_EQ(merged.per_rank.at(rank).failed, c.failed);
  }

  const LatencyHistogram histogram;
  const std::vector<std::string> hosts{"a", "a", "b"};
  const auto figures_of = [&](const FarmTally& t) {
    return farm_figures(FigureInput{&t, 2.5, histogram, 1200, 6, hosts, t.ok});
  };
  const std::vector<Figure> a = figures_of(one_pass), b = figures_of(merged);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t f = 0; f < a.size(); ++f) {
    EXPECT_EQ(a[f].key, b[f].key);
    // Sums of the same numbers in another order: equal to the last bits.
    EXPECT_NEAR(a[f].value, b[f].value, 1e-12 * std::abs(a[f].value)) << a[f].key;
  }
  EXPECT_EQ(a[0].key, "tasks_ok");
  EXPECT_EQ(a[0].value, static_cast<double>(one_pass.ok));
  EXPECT_EQ(a[4].key, "tasks_skipped");
  EXPECT_EQ(a[4].value, 200);
}

TEST(FarmTally, RefusesBytesThatAreNotOne) {
  FarmTally t;
  t.add(task(0, 0, 1.0, ErrorClass::none, 0, 1));
  const std::vector<char> bytes = t.to_bytes();
  FarmTally target;
  EXPECT_THROW(target.merge_bytes(std::span(bytes).first(bytes.size() - 3)), std::invalid_argument);
}

}  // namespace
}  // namespace fanout
