// Static block partition of task ids over ranks, and the default chunk for dynamic scheduling.
#pragma once

#include "exec/task.hpp"

namespace fanout {

/// Block `index` of `n` ids split into `parts` contiguous blocks, remainder-aware (as LULESH
/// InitMeshDecomp): the first n % parts blocks hold one extra id, so sizes differ by at most one
/// and no id is lost. With parts > n the last parts - n blocks are empty. parts >= 1, 0 <= index <
/// parts.
TaskRange block_partition(TaskId n, int parts, int index);

/// Default chunk for dynamic scheduling: tasks / (total_workers * 8), at least 1.
/// Eight chunks per worker keep the tail short (a late worker can take over at most 1/8 of a
/// worker's share) while the per-chunk cost (one message round trip to rank 0) is paid only
/// ~8 times per worker, which hides it behind work even for tasks of a microsecond.
TaskId auto_chunk(TaskId tasks, int total_workers);

}  // namespace fanout
