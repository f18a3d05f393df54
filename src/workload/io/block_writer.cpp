// Blocks of a download written with pwrite at their offsets and hashed in order, inline or on
// the disk thread, and the first failure kept for the file's owner.
#include "workload/io/block_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace fanout {
namespace {

/// Body bytes gathered before a write to the part: libcurl hands them over 16 KiB at a time.
constexpr std::size_t kWriteBufferBytes = 64 * 1024;

}  // namespace

BlockWriter::BlockWriter(DiskQueue* queue) : queue_(queue) {}

void BlockWriter::start(int fd, std::string path, Digest* digest, std::uint64_t at) {
  fd_ = fd;
  path_ = std::move(path);
  digest_ = digest;
  written_ = at;
  buffered_ = 0;
  disk_failed_.store(false, std::memory_order_relaxed);
  disk_error_.clear();
  disk_end_ = 0;
}

void BlockWriter::restart() {
  buffered_ = 0;
  written_ = 0;
}

bool BlockWriter::write_block(const char* data, std::size_t n, std::uint64_t offset) {
  std::size_t at = 0;
  while (at < n) {
    const ssize_t w = ::pwrite(fd_, data + at, n - at, static_cast<off_t>(offset + at));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      disk_error_ = "cannot write " + path_ + ": " + std::strerror(w < 0 ? errno : ENOSPC);
      disk_end_ = offset + at;
      disk_failed_.store(true, std::memory_order_release);
      return false;
    }
    at += static_cast<std::size_t>(w);
  }
  if (digest_ != nullptr) digest_->update(data, n);
  return true;
}

std::size_t BlockWriter::block_bytes() const {
  return queue_ != nullptr ? queue_->block_bytes() : kWriteBufferBytes;
}

void BlockWriter::take_block_buffer() {
  buf_ = queue_ != nullptr ? queue_->take_buffer()
                           : std::make_unique_for_overwrite<char[]>(kWriteBufferBytes);
}

std::string BlockWriter::write(const char* data, std::size_t len) {
  if (disk_failed_.load(std::memory_order_acquire)) return settle();
  if (!buf_) take_block_buffer();
  while (len > 0) {
    const std::size_t take = std::min(len, block_bytes() - buffered_);
    std::memcpy(buf_.get() + buffered_, data, take);
    buffered_ += take;
    written_ += take;
    data += take;
    len -= take;
    if (buffered_ == block_bytes()) {
      if (std::string error = flush(); !error.empty()) return error;
    }
  }
  return "";
}

std::string BlockWriter::flush() {
  if (disk_failed_.load(std::memory_order_acquire)) {
    buffered_ = 0;
    return settle();
  }
  if (buffered_ == 0) return "";
  const std::uint64_t offset = written_ - buffered_;
  const std::size_t n = buffered_;
  buffered_ = 0;
  if (queue_ == nullptr) {
    if (write_block(buf_.get(), n, offset)) return "";
    return settle();
  }
  // The block goes to the disk thread with its buffer; this file takes another from the pool.
  last_block_ = queue_->post(std::move(buf_), n, [this, n, offset](const char* block) {
    if (!disk_failed_.load(std::memory_order_relaxed)) write_block(block, n, offset);
  });
  take_block_buffer();
  return "";
}

std::uint64_t BlockWriter::post_tail() {
  if (queue_ == nullptr) return 0;
  // A failed block is reported by settle().
  flush();
  return last_block_;
}

std::string BlockWriter::settle() {
  if (queue_ != nullptr) queue_->wait(last_block_);
  if (!disk_failed_.load(std::memory_order_acquire)) return "";
  // The file ends where the failed write left it: what is not in it is not counted.
  written_ = std::min(written_, disk_end_);
  return disk_error_;
}

void BlockWriter::stop() {
  buffered_ = 0;
  settle();
}

}  // namespace fanout
