// The spill of full sample vectors: with a sink given a worker's vector never holds much more
// than kSpillSamples, and every sample reaches either the sink or the vector, once.
#include "exec/sample_storage.hpp"

#include <gtest/gtest.h>

#include <mutex>

namespace fanout {
namespace {

TEST(SampleStorage, FullVectorsGoToTheSinkAndNothingIsLost) {
  constexpr std::size_t kTasks = 5 * kSpillSamples + 123;
  std::vector<TaskId> seen;
  std::vector<Sample> samples;
  std::size_t largest = 0;
  const SampleSink sink = [&](std::span<const Sample> batch) {
    for (const Sample& s : batch) seen.push_back(s.id);
  };
  for (TaskId id = 0; id < kTasks; ++id) {
    Sample s;
    s.id = id;
    append_sample(samples, s, sink);
    largest = std::max(largest, samples.capacity());
  }
  for (const Sample& s : samples) seen.push_back(s.id);
  ASSERT_EQ(seen.size(), kTasks);
  for (TaskId id = 0; id < kTasks; ++id) EXPECT_EQ(seen[id], id);
  EXPECT_LE(largest, 2 * kSpillSamples);
  EXPECT_LT(samples.size(), kSpillSamples + 1);
}

TEST(SampleStorage, WithoutASinkTheVectorKeepsEverything) {
  std::vector<Sample> samples;
  for (TaskId id = 0; id < 3 * kSpillSamples; ++id) append_sample(samples, Sample{}, SampleSink{});
  EXPECT_EQ(samples.size(), 3 * kSpillSamples);
}

}  // namespace
}  // namespace fanout
