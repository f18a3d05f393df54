// DiskQueue: one thread that writes the downloads' blocks and feeds their checksums, so that an
// event loop's thread only moves bytes between sockets and buffers.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace fanout {

/// A FIFO of jobs run in order on one thread of its own, each on a block of bytes it is handed.
/// Jobs are numbered (tickets) in the order they were posted; wait(t) returns once job t and every
/// job before it has run, with their effects visible to the caller. The bytes of the jobs not yet
/// run are bounded: post() blocks while they exceed the bound, so a disk slower than the network
/// slows the transfers instead of filling memory. A job's block goes back to a pool once it has run
/// (take_buffer() hands them out again), so a steady stream allocates none. An event loop need not
/// wait: wake_at(t) makes wake_fd() readable once job t has run.
/// Jobs must not throw. Any thread may post, wait and use the pool.
class DiskQueue {
 public:
  /// `max_bytes`: the bytes of queued jobs above which post() waits; `block_bytes`: the size of
  /// the buffers take_buffer() hands out. Throws std::system_error if the thread cannot start.
  DiskQueue(std::size_t max_bytes, std::size_t block_bytes);
  /// Runs what is queued, then stops the thread.
  ~DiskQueue();
  DiskQueue(const DiskQueue&) = delete;
  DiskQueue& operator=(const DiskQueue&) = delete;

  /// A buffer of block_bytes() bytes (not zeroed).
  using Buffer = std::unique_ptr<char[]>;
  /// An eventfd (non-blocking) that becomes readable once the ticket of the last wake_at() has
  /// run; read it (clear_wake) before looking at done().
  int wake_fd() const { return wake_fd_; }
  /// Signals wake_fd() once job `ticket` has run (at once if it has); replaces an earlier ticket.
  void wake_at(std::uint64_t ticket);
  void clear_wake();

  /// Queues `job`, to be called with `block` (a buffer of block_bytes(), from take_buffer(), whose
  /// first `bytes` bytes it reads); returns its ticket (1 for the first).
  std::uint64_t post(Buffer block, std::size_t bytes, std::function<void(const char*)> job);
  /// Returns once job `ticket` (and every earlier one) has run; at once for 0.
  void wait(std::uint64_t ticket);
  /// The ticket of the last job run.
  std::uint64_t done() const;

  std::size_t block_bytes() const { return block_bytes_; }
  /// A buffer for the next post(), from the pool when it has one.
  Buffer take_buffer();

 private:
  void serve();
  void signal();

  const std::size_t max_bytes_;
  const std::size_t block_bytes_;
  mutable std::mutex mutex_;
  std::condition_variable work_;      ///< a job was posted, or stop
  std::condition_variable progress_;  ///< a job ran
  struct Job {
    Buffer block;
    std::size_t bytes;
    std::function<void(const char*)> run;
  };
  std::deque<Job> jobs_;
  std::size_t queued_bytes_ = 0;
  std::uint64_t posted_ = 0;
  std::uint64_t done_ = 0;
  bool stop_ = false;
  std::uint64_t wake_at_ = 0;  ///< 0: no wake-up asked for
  int wake_fd_ = -1;
  std::vector<Buffer> pool_;
  std::thread thread_;  ///< started by the constructor once the rest is set up
};

}  // namespace fanout
