// Sample: what one task's execution measured, a fixed core every workload kind fills plus a few
// bytes of fields the kind declares; a plain record that MPI moves as bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

namespace fanout {

/// A task's identity: its index in the workload's task list.
using TaskId = std::uint64_t;

/// Why a task failed; `none` means it succeeded. Per-task failures are data, never exceptions.
/// One vocabulary for every kind; each kind says which classes it can produce.
enum class ErrorClass : std::uint8_t {
  none = 0,
  wrong_result,  ///< a CPU kernel's result did not check out
  exception,     ///< the task threw (caught inside the worker)
  connect,       ///< could not resolve or connect
  timeout,       ///< exceeded its timeout
  http_4xx,
  http_5xx,
  other,        ///< any other failure (TLS, protocol, body too large, write error)
  exit_status,  ///< a command exited with a nonzero status
  signaled,     ///< a command was ended by a signal it did not get from fanout
  not_started,  ///< a command could not be started (its logs or working directory)
  stopped,      ///< a command in flight was ended by the run's stop (a signal, or halt now)
  checksum,     ///< a download's size or checksum did not match what its list expects
  name_clash,   ///< a download's output name is another line's of its list, held or written by it
};
/// The last class: a class added after it must become the new last, or the names table in
/// record.cpp (checked against kErrorClassCount at compile time) stops compiling.
inline constexpr ErrorClass kLastErrorClass = ErrorClass::name_clash;
/// Classes there are, `none` included: derived from the last, never kept by hand.
inline constexpr std::size_t kErrorClassCount = static_cast<std::size_t>(kLastErrorClass) + 1;

/// Whether `e` is a class of the enum (a byte read from a file or another rank may not be).
constexpr bool known(ErrorClass e) { return static_cast<std::size_t>(e) < kErrorClassCount; }

std::string_view to_string(ErrorClass e);

/// One count per error class, indexed by the class itself. Bounds-safe: a value past the last
/// class (corrupt bytes) counts as `other` instead of writing past the array.
class ErrorCounts {
 public:
  std::uint64_t& operator[](ErrorClass e) { return counts_[index(e)]; }
  std::uint64_t operator[](ErrorClass e) const { return counts_[index(e)]; }
  /// Every count, in the order of the enum (for byte codecs and sums).
  auto begin() { return counts_.begin(); }
  auto end() { return counts_.end(); }
  auto begin() const { return counts_.begin(); }
  auto end() const { return counts_.end(); }
  friend bool operator==(const ErrorCounts&, const ErrorCounts&) = default;

 private:
  static constexpr std::size_t index(ErrorClass e) {
    return known(e) ? static_cast<std::size_t>(e) : static_cast<std::size_t>(ErrorClass::other);
  }
  std::array<std::uint64_t, kErrorClassCount> counts_{};
};

/// Bytes a workload kind may use inside every Sample for its own per-task fields.
inline constexpr std::size_t kKindFieldBytes = 48;

/// One task's measurement. Times are seconds, as double, relative to the run's common start (t0),
/// which every rank takes right after a barrier.
struct Sample {
  TaskId id = 0;
  double start_s = 0;       ///< task start (its first attempt), seconds since the common start
  double duration_s = 0;    ///< task wall time over every attempt and wait, seconds
  std::int32_t rank = 0;    ///< MPI rank that ran it (0 without MPI)
  std::int32_t worker = 0;  ///< worker slot inside the rank (OpenMP thread, event-loop slot)
  /// Attempts made (1 + retries); 0: none started, the run stopped first (the task did not run).
  std::uint32_t attempts = 1;
  ErrorClass error = ErrorClass::none;
  /// The kind's own fields (e.g. HTTP status and bytes for io); read and written through
  /// kind_fields<T>() with the kind's trivially copyable struct. Zero for kinds that have none.
  alignas(8) unsigned char kind[kKindFieldBytes] = {};

  bool ok() const { return error == ErrorClass::none; }
};
static_assert(std::is_trivially_copyable_v<Sample>, "Sample travels through MPI as bytes");

/// The kind's fields of `s` as its struct T (a copy).
template <class T>
T kind_fields(const Sample& s) {
  static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= kKindFieldBytes);
  T out;
  std::memcpy(&out, s.kind, sizeof(T));
  return out;
}

/// Stores the kind's fields `f` into `s`.
template <class T>
void set_kind_fields(Sample& s, const T& f) {
  static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= kKindFieldBytes);
  std::memcpy(s.kind, &f, sizeof(T));
}

/// One per-task field a kind declares, as it appears in the CSV joblog (a column) and, when
/// `in_trace`, in the trace's per-task args. Integers print exactly; reals with `digits`
/// significant digits.
struct RecordField {
  std::string_view name;
  bool integer = true;
  std::int64_t (*as_integer)(const Sample&) = nullptr;
  double (*as_real)(const Sample&) = nullptr;
  int digits = 9;
  bool in_trace = false;
};
using RecordFields = std::span<const RecordField>;

}  // namespace fanout
