// The disk thread of an event loop's downloads: jobs in order, a bound on the bytes they hold.
#include "workload/io/disk_queue.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <utility>

namespace fanout {
namespace {
/// Buffers kept for reuse: enough for the bound's worth of blocks in flight, and a few spare.
constexpr std::size_t kSpareBuffers = 8;
}  // namespace

DiskQueue::DiskQueue(std::size_t max_bytes, std::size_t block_bytes)
    : max_bytes_(max_bytes),
      block_bytes_(block_bytes),
      wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  try {
    thread_ = std::thread([this] { serve(); });
  } catch (...) {
    ::close(wake_fd_);
    throw;
  }
}

DiskQueue::~DiskQueue() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  work_.notify_one();
  thread_.join();
  ::close(wake_fd_);
}

void DiskQueue::signal() {
  const std::uint64_t one = 1;
  // Only EAGAIN can fail it (the counter full of unread wake-ups): readable all the same.
  [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
}

void DiskQueue::wake_at(std::uint64_t ticket) {
  std::lock_guard lock(mutex_);
  if (done_ >= ticket) {
    wake_at_ = 0;
    signal();
  } else {
    wake_at_ = ticket;
  }
}

void DiskQueue::clear_wake() {
  std::uint64_t count = 0;
  [[maybe_unused]] const ssize_t n = ::read(wake_fd_, &count, sizeof count);
}

std::uint64_t DiskQueue::post(Buffer block, std::size_t bytes,
                              std::function<void(const char*)> job) {
  std::unique_lock lock(mutex_);
  // A job larger than the bound still goes in once the queue is empty.
  progress_.wait(lock, [&] { return jobs_.empty() || queued_bytes_ + bytes <= max_bytes_; });
  jobs_.push_back({std::move(block), bytes, std::move(job)});
  queued_bytes_ += bytes;
  const std::uint64_t ticket = ++posted_;
  const bool was_idle = jobs_.size() == 1;
  lock.unlock();
  if (was_idle) work_.notify_one();
  return ticket;
}

void DiskQueue::wait(std::uint64_t ticket) {
  std::unique_lock lock(mutex_);
  progress_.wait(lock, [&] { return done_ >= ticket; });
}

std::uint64_t DiskQueue::done() const {
  std::lock_guard lock(mutex_);
  return done_;
}

DiskQueue::Buffer DiskQueue::take_buffer() {
  {
    std::lock_guard lock(mutex_);
    if (!pool_.empty()) {
      Buffer b = std::move(pool_.back());
      pool_.pop_back();
      return b;
    }
  }
  return std::make_unique_for_overwrite<char[]>(block_bytes_);
}

void DiskQueue::serve() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stop_, and nothing left to run
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job.run(job.block.get());
    job.run = nullptr;  // what it captured goes before the job counts as done
    lock.lock();
    if (pool_.size() < max_bytes_ / block_bytes_ + kSpareBuffers) {
      pool_.push_back(std::move(job.block));
    }
    queued_bytes_ -= job.bytes;
    ++done_;
    if (wake_at_ != 0 && done_ >= wake_at_) {
      wake_at_ = 0;
      signal();
    }
    progress_.notify_all();
  }
}

}  // namespace fanout
