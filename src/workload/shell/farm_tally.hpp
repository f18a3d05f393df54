// FarmTally: what a farm run's figures and details need from its tasks (outcome counts, busy and
// CPU time, peak memory, the slowest tasks, tasks per rank), folded on every rank and merged at
// rank 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "workload/kind_tally.hpp"

namespace fanout {

class FarmTally : public ListedTally<FarmTally> {
 public:
  static constexpr const char* kName = "FarmTally";
  /// The slowest tasks a report names.
  static constexpr std::size_t kSlowest = 5;

  /// Tasks and failures (any outcome but ok) of one rank.
  struct RankCounts {
    std::uint64_t tasks = 0;
    std::uint64_t failed = 0;
  };

  std::uint64_t ran = 0;          ///< tasks folded, stopped ones too
  std::uint64_t ok = 0;           ///< exited 0
  std::uint64_t failed = 0;       ///< exited non-zero, were signaled, or could not start
  std::uint64_t timed_out = 0;    ///< ended by their timeout
  std::uint64_t stopped = 0;      ///< ended in flight by the run's stop
  double busy_s = 0;              ///< sum of the tasks' wall times
  double cpu_s = 0;               ///< user + sys CPU of the tasks' processes (wait4)
  std::uint32_t max_rss_kib = 0;  ///< the largest peak RSS of any task's process
  /// The kSlowest longest tasks' records, longest first (equal durations: lower id first).
  std::vector<Sample> slowest;
  std::map<int, RankCounts> per_rank;

  void add(const Sample& s) override;
  /// Adds another rank's tally (the slowest of both kept).
  void merge(const FarmTally& other);
  /// The tasks' CPU time (their children's rusage) over their busy wall.
  std::optional<double> task_cpu_fraction() const override {
    if (ran == 0 || busy_s <= 0) return std::nullopt;
    return cpu_s / busy_s;
  }

  template <class Self, class Io>
  static void fields(Self& t, Io& io) {
    io(t.ran, t.ok, t.failed, t.timed_out, t.stopped, t.busy_s, t.cpu_s, t.max_rss_kib, t.slowest,
       t.per_rank);
  }

 private:
  void offer_slowest(const Sample& s);
};

}  // namespace fanout
