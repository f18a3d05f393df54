// The GPUs a farm's node gives its tasks: read from what the batch system and CUDA say, or from
// nvidia-smi, and shared out among the node's ranks and their slots.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

/// A node's GPUs as the ids a task's CUDA_VISIBLE_DEVICES takes, and where they were read.
struct NodeGpus {
  std::vector<std::string> ids;
  std::string source;  ///< e.g. "CUDA_VISIBLE_DEVICES=0,1"; "" when none was found
};

/// "0,1,2" -> {"0","1","2"}; blanks around ids dropped. Empty for an empty list and for Slurm's
/// "NoDevFiles" (a job without GPUs).
std::vector<std::string> parse_gpu_list(std::string_view text);

/// The indices of the "GPU N: ..." lines of `nvidia-smi -L`.
std::vector<std::string> parse_nvidia_smi_list(std::string_view text);

/// Reads the first of CUDA_VISIBLE_DEVICES (what CUDA lets this process see, in CUDA's own
/// numbering, which is what a task's CUDA_VISIBLE_DEVICES must name), SLURM_STEP_GPUS and
/// SLURM_JOB_GPUS that is set, through `get`; else the GPUs `nvidia_smi` lists (the output of
/// `nvidia-smi -L`, "" when it is absent or did not answer in time).
NodeGpus detect_gpus(const std::function<const char*(const char*)>& get,
                     const std::function<std::string()>& nvidia_smi);

/// The output of `nvidia-smi -L` when it is on PATH and ends within `timeout_ms`; "" otherwise
/// (it is killed then: a hung driver must not hang the farm).
std::string run_nvidia_smi(int timeout_ms);

/// The GPUs of rank `node_rank` of the `node_size` ranks on a node: every node_size-th one,
/// starting at its own index, so that no two ranks of a node share one.
std::vector<std::string> rank_share(const std::vector<std::string>& node_gpus, int node_rank,
                                    int node_size);

/// The GPUs of slot `worker` (0-based within the rank) when each task gets `per_task` of the
/// rank's: "2,3". A slot runs one task at a time and no two slots share a GPU, so no GPU is given
/// to two tasks at once. "" when the rank has too few for that slot.
std::string slot_gpus(const std::vector<std::string>& rank_gpus, int per_task, int worker);

}  // namespace fanout
