// Unit tests of block_partition, auto_chunk and compact_cpu_list: pure functions, no MPI.
#include "mpi/partition.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "mpi/environment.hpp"

namespace fanout {
namespace {

/// Splits n into parts and checks: contiguous, every id exactly once, sizes differ by at most one,
/// larger blocks first.
void expect_exact_cover(TaskId n, int parts) {
  SCOPED_TRACE("n=" + std::to_string(n) + " parts=" + std::to_string(parts));
  std::vector<int> seen(n, 0);
  TaskId expected_begin = 0;
  TaskId smallest = n + 1, largest = 0;
  TaskId previous_size = n + 1;
  for (int i = 0; i < parts; ++i) {
    const TaskRange r = block_partition(n, parts, i);
    EXPECT_EQ(r.begin, expected_begin);
    EXPECT_LE(r.begin, r.end);
    for (TaskId id = r.begin; id < r.end && id < n; ++id) ++seen[id];
    expected_begin = r.end;
    smallest = std::min(smallest, r.size());
    largest = std::max(largest, r.size());
    EXPECT_LE(r.size(), previous_size);
    previous_size = r.size();
  }
  EXPECT_EQ(expected_begin, n);
  for (TaskId id = 0; id < n; ++id) EXPECT_EQ(seen[id], 1) << "id " << id;
  EXPECT_LE(largest - smallest, 1u);
}

TEST(BlockPartition, CoversEveryIdExactlyOnce) {
  for (TaskId n : {0u, 1u, 2u, 3u, 7u, 10u, 11u, 100u, 1001u})
    for (int parts : {1, 2, 3, 4, 7, 16}) expect_exact_cover(n, parts);
}

TEST(BlockPartition, RemainderGoesToTheFirstBlocks) {
  // 10 over 4: 3 3 2 2.
  EXPECT_EQ(block_partition(10, 4, 0), (TaskRange{0, 3}));
  EXPECT_EQ(block_partition(10, 4, 1), (TaskRange{3, 6}));
  EXPECT_EQ(block_partition(10, 4, 2), (TaskRange{6, 8}));
  EXPECT_EQ(block_partition(10, 4, 3), (TaskRange{8, 10}));
}

TEST(BlockPartition, MorePartsThanTasksGivesEmptyTail) {
  EXPECT_EQ(block_partition(2, 5, 0), (TaskRange{0, 1}));
  EXPECT_EQ(block_partition(2, 5, 1), (TaskRange{1, 2}));
  for (int i = 2; i < 5; ++i) EXPECT_TRUE(block_partition(2, 5, i).empty());
}

TEST(BlockPartition, NoTasks) {
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(block_partition(0, 3, i).empty());
}

TEST(BlockPartition, HugeCountsDoNotOverflow) {
  const TaskId n = (TaskId{1} << 62) + 3;
  EXPECT_EQ(block_partition(n, 4, 3).end, n);
  EXPECT_EQ(block_partition(n, 4, 3).size(), n / 4);
}

TEST(AutoChunk, EightChunksPerWorker) {
  EXPECT_EQ(auto_chunk(1600, 4), 50u);
  EXPECT_EQ(auto_chunk(1'000'000, 2), 62'500u);
}

TEST(AutoChunk, AtLeastOne) {
  EXPECT_EQ(auto_chunk(0, 4), 1u);
  EXPECT_EQ(auto_chunk(5, 4), 1u);
  EXPECT_EQ(auto_chunk(100, 0), 12u);  // zero workers is treated as one
}

TEST(CompactCpuList, Ranges) {
  EXPECT_EQ(compact_cpu_list({0}), "0");
  EXPECT_EQ(compact_cpu_list({0, 1}), "0-1");
  EXPECT_EQ(compact_cpu_list({0, 1, 2, 5, 7, 8}), "0-2,5,7-8");
  EXPECT_EQ(compact_cpu_list({}), "none");
}

}  // namespace
}  // namespace fanout
