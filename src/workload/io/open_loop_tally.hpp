// OpenLoopTally: an open-loop run's requests per step of its staircase, folded on every rank and
// merged at rank 0: latency from the intended start (corrected) and from the send (uncorrected),
// sends per rank, and the requests queued at the cap, started late or dropped.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "timing/histogram.hpp"
#include "timing/record.hpp"
#include "workload/io/generator_check.hpp"

namespace fanout {

/// Requests sent and the first and last send, seconds since each rank's common start (taken
/// right after a barrier, so comparable between ranks).
struct SendSpan {
  std::uint64_t count = 0;
  double first_s = 0;
  double last_s = 0;

  void add(double sent_s);
  void merge(const SendSpan& other);
  /// Sends per second between the first and the last: (count - 1) / (last - first), the rate of
  /// evenly spaced sends; 0 with fewer than two.
  double rate() const;

  template <class Self, class Io>
  static void fields(Self& s, Io& io) {
    io(s.count, s.first_s, s.last_s);
  }
};

/// One step of the staircase.
struct StepTally {
  /// From each answered request's intended start to its answer: what arrivals at the rate saw.
  LatencyHistogram corrected;
  /// From each answered request's actual send to its answer: what a closed-loop tool reports.
  LatencyHistogram uncorrected;
  SendSpan sent;                  ///< over every rank
  std::map<int, SendSpan> ranks;  ///< rank -> its sends
  std::uint64_t queued = 0;       ///< sent late because every worker was busy (the cap)
  std::uint64_t late = 0;         ///< sent late with a worker free: the generator fell behind
  std::uint64_t dropped = 0;      ///< never sent (io.at-cap = drop)
  std::uint64_t failed = 0;       ///< sent, but no HTTP answer (connect error, timeout, ...)
  GeneratorLoad generator;        ///< the drivers' load at the sent requests' starts

  void merge(const StepTally& other);

  template <class Self, class Io>
  static void fields(Self& t, Io& io) {
    io(t.corrected, t.uncorrected, t.sent, t.ranks, t.queued, t.late, t.dropped, t.failed,
       t.generator);
  }
};

class OpenLoopTally {
 public:
  /// Folds one io Sample; closed-loop samples (no kPaced flag) are ignored. `answered`: the
  /// request got an HTTP response, so its latency counts.
  void add(const Sample& s, bool answered);
  void merge(const OpenLoopTally& other);
  /// By step of the staircase; empty for a closed-loop run.
  const std::vector<StepTally>& steps() const { return steps_; }
  /// Every step merged.
  StepTally total() const;

  template <class Self, class Io>
  static void fields(Self& t, Io& io) {
    io(t.steps_);
  }

 private:
  StepTally& step(std::size_t i);
  std::vector<StepTally> steps_;
};

}  // namespace fanout
