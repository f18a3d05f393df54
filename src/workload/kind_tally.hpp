// KindTally: a kind's own mergeable summary of its tasks' records (requests and bytes, the
// slowest commands), folded one Sample at a time on every rank and merged at rank 0, so that no
// process holds every task's record for the kind's figures.
#pragma once

#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "timing/byte_codec.hpp"
#include "timing/record.hpp"

namespace fanout {

class KindTally {
 public:
  virtual ~KindTally() = default;
  /// Folds one task's record.
  virtual void add(const Sample& s) = 0;
  /// The tally as bytes, to travel between ranks.
  virtual std::vector<char> to_bytes() const = 0;
  /// Merges a tally of the same kind given as its to_bytes(); throws std::invalid_argument for
  /// bytes that are not one.
  virtual void merge_bytes(std::span<const char> bytes) = 0;
  /// The share of their wall time the tasks kept a CPU busy, where the tally tells (the farm: its
  /// children's rusage); nullopt: the ranks' own CPU time tells.
  virtual std::optional<double> task_cpu_fraction() const { return std::nullopt; }
};

/// A kind's tally T in the one byte form: T lists its fields (byte_codec.hpp), names itself in
/// kName and merges another T (`void merge(const T&)`); the bytes follow from those.
template <class T>
class ListedTally : public KindTally {
 public:
  std::vector<char> to_bytes() const final { return encode(static_cast<const T&>(*this)); }
  void merge_bytes(std::span<const char> bytes) final {
    static_cast<T&>(*this).merge(decode<T>(bytes, T::kName));
  }
};

/// `tally` as the kind's own type T, which the kind made (Workload::make_tally); throws
/// std::logic_error when it is null or another kind's.
template <class T>
const T& tally_as(const KindTally* tally) {
  const auto* t = dynamic_cast<const T*>(tally);
  if (!t) throw std::logic_error("a kind's figures were given another kind's tally, or none");
  return *t;
}

}  // namespace fanout
