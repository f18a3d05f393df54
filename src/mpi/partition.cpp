// Remainder-aware block split and the default dynamic chunk; pure arithmetic, no MPI.
#include "mpi/partition.hpp"

#include <algorithm>

#include "mpi/check.hpp"

namespace fanout {

TaskRange block_partition(TaskId n, int parts, int index) {
  FANOUT_CHECK(parts >= 1, "block_partition needs at least one part");
  FANOUT_CHECK(index >= 0 && index < parts, "block_partition index out of range");
  const auto p = static_cast<TaskId>(parts);
  const auto i = static_cast<TaskId>(index);
  const TaskId base = n / p;
  const TaskId extra = n % p;
  // Blocks before i: i of size base, min(i, extra) of them one larger.
  const TaskId begin = i * base + std::min(i, extra);
  const TaskId size = base + (i < extra ? 1 : 0);
  return TaskRange{begin, begin + size};
}

TaskId auto_chunk(TaskId tasks, int total_workers) {
  constexpr TaskId kChunksPerWorker = 8;
  const TaskId workers = total_workers < 1 ? 1 : static_cast<TaskId>(total_workers);
  return std::max<TaskId>(1, tasks / (workers * kChunksPerWorker));
}

}  // namespace fanout
