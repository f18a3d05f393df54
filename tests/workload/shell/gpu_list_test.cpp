// GPUs per task: the node's list from the environment or nvidia-smi, a share per rank of the node,
// and per slot, so that no GPU is given to two tasks at once.
#include "workload/shell/gpu_list.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "cli/text.hpp"

namespace fanout {
namespace {

using Ids = std::vector<std::string>;

NodeGpus detect(const std::map<std::string, std::string>& env, const std::string& smi,
                int* smi_calls = nullptr) {
  return detect_gpus(
      [&](const char* name) -> const char* {
        const auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
      },
      [&] {
        if (smi_calls) ++*smi_calls;
        return smi;
      });
}

const char* kSmi =
    "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-8a1c)\n"
    "  MIG 1g.10gb     Device  0: (UUID: MIG-1)\n"
    "GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-77f0)\n";

TEST(GpuList, ListsAsTheBatchSystemWritesThem) {
  EXPECT_EQ(parse_gpu_list("0,1,2"), (Ids{"0", "1", "2"}));
  EXPECT_EQ(parse_gpu_list(" 4, 5 ,"), (Ids{"4", "5"}));
  EXPECT_EQ(parse_gpu_list("GPU-8a1c,GPU-77f0"), (Ids{"GPU-8a1c", "GPU-77f0"}));
  EXPECT_TRUE(parse_gpu_list("").empty());
  EXPECT_TRUE(parse_gpu_list("NoDevFiles").empty());
}

TEST(GpuList, NvidiaSmisGpuLinesOnly) {
  EXPECT_EQ(parse_nvidia_smi_list(kSmi), (Ids{"0", "1"}));
  EXPECT_TRUE(parse_nvidia_smi_list("").empty());
  EXPECT_TRUE(parse_nvidia_smi_list("NVIDIA-SMI has failed\nGPU x: y\n").empty());
}

TEST(GpuList, CudaVisibleDevicesFirstThenSlurmThenNvidiaSmi) {
  int calls = 0;
  NodeGpus g = detect({{"CUDA_VISIBLE_DEVICES", "0,1"}, {"SLURM_STEP_GPUS", "2,3"}}, kSmi, &calls);
  EXPECT_EQ(g.ids, (Ids{"0", "1"}));
  EXPECT_EQ(g.source, "CUDA_VISIBLE_DEVICES=0,1");
  g = detect({{"SLURM_STEP_GPUS", "2,3"}, {"SLURM_JOB_GPUS", "0,1,2,3"}}, kSmi, &calls);
  EXPECT_EQ(g.ids, (Ids{"2", "3"}));
  g = detect({{"SLURM_JOB_GPUS", "6"}}, kSmi, &calls);
  EXPECT_EQ(g.ids, (Ids{"6"}));
  EXPECT_EQ(calls, 0) << "nvidia-smi is asked only when nothing says";
  g = detect({}, kSmi, &calls);
  EXPECT_EQ(g.ids, (Ids{"0", "1"}));
  EXPECT_EQ(g.source, "nvidia-smi -L");
  EXPECT_EQ(calls, 1);
  // Set but empty: this process may use none, whatever nvidia-smi lists.
  g = detect({{"CUDA_VISIBLE_DEVICES", ""}}, kSmi);
  EXPECT_TRUE(g.ids.empty());
  EXPECT_EQ(g.source, "CUDA_VISIBLE_DEVICES=");
  g = detect({}, "");
  EXPECT_TRUE(g.ids.empty());
  EXPECT_EQ(g.source, "");
}

TEST(GpuList, EachRankOfTheNodeGetsItsOwn) {
  const Ids node{"0", "1", "2", "3", "4", "5", "6", "7"};
  EXPECT_EQ(rank_share(node, 0, 1), node);
  EXPECT_EQ(rank_share(node, 1, 3), (Ids{"1", "4", "7"}));
  EXPECT_EQ(rank_share(node, 2, 3), (Ids{"2", "5"}));
  EXPECT_TRUE(rank_share(Ids{"0"}, 1, 2).empty());
}

TEST(GpuList, EachSlotGetsItsOwn) {
  const Ids rank{"a", "b", "c", "d", "e"};
  EXPECT_EQ(slot_gpus(rank, 1, 0), "a");
  EXPECT_EQ(slot_gpus(rank, 2, 0), "a,b");
  EXPECT_EQ(slot_gpus(rank, 2, 1), "c,d");
  EXPECT_EQ(slot_gpus(rank, 2, 2), "") << "too few left for a third slot";
  EXPECT_EQ(slot_gpus(rank, 0, 0), "");
}

TEST(GpuList, NoGpuGoesToTwoSlotsOfANode) {
  // Every split of 8 GPUs over 1 to 4 ranks and 1 to 3 GPUs per task: the slots that can run
  // (as many as the rank's share feeds) hold disjoint GPUs, and none is left out that a slot
  // could have used.
  const Ids node{"0", "1", "2", "3", "4", "5", "6", "7"};
  for (int ranks = 1; ranks <= 4; ++ranks) {
    for (int per = 1; per <= 3; ++per) {
      std::set<std::string> given;
      for (int r = 0; r < ranks; ++r) {
        const Ids share = rank_share(node, r, ranks);
        const int slots = static_cast<int>(share.size()) / per;
        for (int s = 0; s < slots; ++s) {
          for (const std::string& id : split(slot_gpus(share, per, s), ',')) {
            EXPECT_TRUE(given.insert(id).second)
                << "GPU " << id << " twice: " << ranks << " ranks, " << per << " per task";
          }
        }
        EXPECT_EQ(slot_gpus(share, per, slots), "");
      }
    }
  }
}

}  // namespace
}  // namespace fanout
