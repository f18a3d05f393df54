// BlockWriter: a download's body bytes gathered into blocks, each written to the part file and fed
// to the digest in order, on the calling thread or on a DiskQueue's.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "workload/io/digest.hpp"
#include "workload/io/disk_queue.hpp"

namespace fanout {

/// Writes one file after another, reused file after file; never shared between threads (the
/// queue's thread runs its blocks). Without a queue each full block is written at once; with one,
/// it is posted and this writer takes another buffer from the queue's pool, so an event loop's
/// thread only copies bytes. A failed block write is reported by the next write(), flush() or
/// settle(); the blocks after it are dropped. Not movable: queued blocks point at it.
///
/// Methods that fail return what failed ("" when nothing did).
class BlockWriter {
 public:
  /// `queue` (may be null) outlives this.
  explicit BlockWriter(DiskQueue* queue = nullptr);
  BlockWriter(const BlockWriter&) = delete;
  BlockWriter& operator=(const BlockWriter&) = delete;

  /// Starts a file: blocks go to `fd` from byte `at` on and are fed to `digest` (may be null);
  /// `path` names the file in errors. The previous file's blocks must be settled.
  void start(int fd, std::string path, Digest* digest, std::uint64_t at);
  /// The file was emptied: the next bytes go to byte 0 (nothing of this file is queued yet).
  void restart();
  /// Appends body bytes.
  std::string write(const char* data, std::size_t len);
  /// Writes (or queues) the buffered bytes as a block.
  std::string flush();
  /// Queues the buffered bytes and returns the ticket to wait for (DiskQueue::wake_at) before
  /// settle() returns without waiting; 0 without a queue.
  std::uint64_t post_tail();
  /// Waits until every queued block of this file is written.
  std::string settle();
  /// Forgets the buffered bytes and waits for the queued ones: the file can be closed.
  void stop();
  /// Bytes of the file now, the buffered ones included (after a failure, where the file ends).
  std::uint64_t written() const { return written_; }

 private:
  /// Writes `n` bytes at `offset` and feeds them to the digest: one block, on whichever thread
  /// runs it. Records a failure in disk_error_ and disk_end_.
  bool write_block(const char* data, std::size_t n, std::uint64_t offset);
  /// The size of a block: the queue's, or kWriteBufferBytes inline.
  std::size_t block_bytes() const;
  /// A buffer for the next block: from the queue's pool, or made once inline.
  void take_block_buffer();

  DiskQueue* queue_;
  int fd_ = -1;
  std::string path_;
  Digest* digest_ = nullptr;
  std::uint64_t written_ = 0;
  /// The queue's ticket of the last block (an earlier file's until this one posts one: done by
  /// then, since that file was settled).
  std::uint64_t last_block_ = 0;
  /// A block write failed: set (release) after disk_error_ and disk_end_, by the thread that ran
  /// it; later blocks of the file are dropped.
  std::atomic<bool> disk_failed_{false};
  std::string disk_error_;
  std::uint64_t disk_end_ = 0;  ///< where the file ends after the failed write
  DiskQueue::Buffer buf_;       ///< bytes not yet written, block_bytes() of room
  std::size_t buffered_ = 0;
};

}  // namespace fanout
