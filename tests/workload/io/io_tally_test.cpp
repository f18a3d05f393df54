// IoTally: folding requests and download outcomes, and merging the ranks' tallies (through their
// bytes, as measure does) gives what one pass over every sample gives.
#include "workload/io/io_tally.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "workload/io/attempt.hpp"
#include "workload/io/staging.hpp"

namespace fanout {
namespace {

Sample fetch(TaskId id, int rank, std::uint64_t bytes, ErrorClass error, DownloadOutcome outcome) {
  Sample s;
  s.id = id;
  s.rank = rank;
  s.duration_s = 0.001 * static_cast<double>(id % 7);
  s.error = error;
  HttpFields f;
  f.http_status = error == ErrorClass::none ? 200 : 503;
  f.bytes = bytes;
  f.outcome = static_cast<std::uint8_t>(outcome);
  set_kind_fields(s, f);
  return s;
}

/// 3 ranks' worth of fetches: every outcome, failures and a checksum mismatch among them.
std::vector<Sample> fetches() {
  std::vector<Sample> out;
  for (TaskId id = 0; id < 300; ++id) {
    const int rank = static_cast<int>(id % 3);
    ErrorClass error = ErrorClass::none;
    auto outcome =
        static_cast<DownloadOutcome>(1 + id % 4);  // fetched, skipped, resumed, restarted
    if (id % 17 == 0) error = ErrorClass::http_5xx;
    if (id % 29 == 0) error = ErrorClass::checksum;
    if (error != ErrorClass::none) outcome = DownloadOutcome::none;
    out.push_back(fetch(id, rank, 1000 + id, error, outcome));
  }
  return out;
}

void expect_same(const DownloadTotals& a, const DownloadTotals& b) {
  EXPECT_EQ(a.fetched, b.fetched);
  EXPECT_EQ(a.skipped, b.skipped);
  EXPECT_EQ(a.resumed, b.resumed);
  EXPECT_EQ(a.restarted, b.restarted);
  EXPECT_EQ(a.failed, b.failed);
  EXPECT_EQ(a.checksum, b.checksum);
  EXPECT_EQ(a.bytes, b.bytes);
}

TEST(IoTally, CountsRequestsBytesAndOutcomesPerRank) {
  IoTally t;
  t.add(fetch(0, 0, 100, ErrorClass::none, DownloadOutcome::fetched));
  t.add(fetch(1, 0, 0, ErrorClass::none, DownloadOutcome::skipped));
  t.add(fetch(2, 1, 50, ErrorClass::none, DownloadOutcome::resumed));
  t.add(fetch(3, 1, 7, ErrorClass::checksum, DownloadOutcome::none));
  t.add(fetch(4, 1, 0, ErrorClass::connect, DownloadOutcome::none));
  t.add(fetch(5, 1, 9, ErrorClass::none, DownloadOutcome::restarted));
  EXPECT_EQ(t.requests, 6u);
  EXPECT_EQ(t.bytes, 166u);
  ASSERT_EQ(t.per_rank.size(), 2u);
  const DownloadTotals& zero = t.per_rank.at(0);
  EXPECT_EQ(zero.fetched, 1u);
  EXPECT_EQ(zero.skipped, 1u);
  EXPECT_EQ(zero.done(), 2u);
  EXPECT_EQ(zero.bytes, 100u);
  const DownloadTotals& one = t.per_rank.at(1);
  EXPECT_EQ(one.resumed, 1u);
  EXPECT_EQ(one.restarted, 1u);
  EXPECT_EQ(one.failed, 2u);
  EXPECT_EQ(one.checksum, 1u);
  EXPECT_EQ(one.done(), 2u);
  EXPECT_EQ(one.bytes, 66u);
}

TEST(IoTally, MergedRanksEqualOnePassOverEverySample) {
  const std::vector<Sample> all = fetches();
  IoTally one_pass;
  for (const Sample& s : all) one_pass.add(s);
  std::vector<IoTally> ranks(3);
  for (const Sample& s : all) ranks[static_cast<std::size_t>(s.rank)].add(s);
  IoTally merged;
  for (const IoTally& r : ranks) merged.merge_bytes(r.to_bytes());
  EXPECT_EQ(merged.requests, one_pass.requests);
  EXPECT_EQ(merged.bytes, one_pass.bytes);
  ASSERT_EQ(merged.per_rank.size(), one_pass.per_rank.size());
  for (const auto& [rank, totals] : one_pass.per_rank)
    expect_same(merged.per_rank.at(rank), totals);
  // Merging is a sum: a tally merged into itself counts everything twice.
  IoTally twice;
  twice.merge(one_pass);
  twice.merge(one_pass);
  EXPECT_EQ(twice.requests, 2 * one_pass.requests);
  EXPECT_EQ(twice.per_rank.at(2).done(), 2 * one_pass.per_rank.at(2).done());
}

TEST(IoTally, RefusesBytesThatAreNotOne) {
  IoTally t;
  t.add(fetch(0, 0, 1, ErrorClass::none, DownloadOutcome::fetched));
  std::vector<char> bytes = t.to_bytes();
  IoTally target;
  EXPECT_THROW(target.merge_bytes(std::span(bytes).first(bytes.size() - 1)), std::invalid_argument);
  bytes.push_back(0);
  IoTally other;
  EXPECT_THROW(other.merge_bytes(bytes), std::invalid_argument);
}

}  // namespace
}  // namespace fanout
