// Growing per-worker Sample vectors cheaply (geometric growth, huge pages for large buffers), and
// handing full ones to the run's sink, so that a rank need not hold every task's record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "timing/record.hpp"

namespace fanout {

/// Makes room in `samples` for `more` further entries. Capacity grows geometrically, so calling
/// this once per chunk stays amortised O(1) per task. Buffers of several MiB are advised to use
/// transparent huge pages: at a million tasks the first touch of 4 KiB pages, not the scheduling,
/// is otherwise the largest per-task cost (measured on a VM where a page fault costs ~15 us:
/// 0.27 us a task with 4 KiB pages, under 0.1 us with huge pages).
void reserve_samples(std::vector<Sample>& samples, std::size_t more);

/// Samples a worker's vector holds before append_sample hands them to the run's sink.
inline constexpr std::size_t kSpillSamples = 8192;

/// Takes a batch of samples out of an engine's vector while the engine runs (RunContext::sink);
/// called from any worker thread, so it must be thread-safe.
using SampleSink = std::function<void(std::span<const Sample>)>;

/// A full vector: handed to `sink` and emptied (its capacity kept) when `sink` is set and the
/// vector holds kSpillSamples or more, so every engine's memory stays bounded whatever the task
/// count; else grown as reserve_samples does.
void make_room(std::vector<Sample>& samples, const SampleSink& sink);

/// Appends `s`: the per-task push of every engine, `sink` being its RunContext's. Only a full
/// vector costs more than a push_back.
inline void append_sample(std::vector<Sample>& samples, const Sample& s, const SampleSink& sink) {
  if (samples.size() == samples.capacity()) make_room(samples, sink);
  samples.push_back(s);
}

/// Bytes kept on disk instead of in memory: an anonymous temporary file (created in $TMPDIR, or
/// /tmp, on the first append and unlinked at once, so nothing is left behind even by a crash),
/// appended to and read back at any offset. Not thread-safe.
class SpoolFile {
 public:
  SpoolFile() = default;
  SpoolFile(SpoolFile&& other) noexcept;
  SpoolFile& operator=(SpoolFile&& other) noexcept;
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;
  ~SpoolFile();

  /// Appends `bytes` bytes from `data`. Throws std::system_error (the disk is full).
  void append(const void* data, std::size_t bytes);
  std::uint64_t size_bytes() const { return size_; }
  /// Copies bytes [offset, offset + bytes) into `into`; throws std::system_error, or
  /// std::out_of_range past the end.
  void read(std::uint64_t offset, void* into, std::size_t bytes) const;

 private:
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

/// Samples kept in a SpoolFile while a measurement runs, read back in chunks when the records move
/// to rank 0.
class SampleSpool {
 public:
  void append(std::span<const Sample> samples) {
    file_.append(samples.data(), samples.size_bytes());
  }
  std::uint64_t size() const { return file_.size_bytes() / sizeof(Sample); }
  /// Copies samples [from, from + into.size()) into `into`.
  void read(std::uint64_t from, std::span<Sample> into) const {
    file_.read(from * sizeof(Sample), into.data(), into.size_bytes());
  }

 private:
  SpoolFile file_;
};

}  // namespace fanout
