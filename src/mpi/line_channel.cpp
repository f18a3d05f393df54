// LineChannel: a sender thread per rank, batching at most one message an interval, and a drain
// thread on rank 0 that probes the channel's communicator with a sleeping back-off.
#include "mpi/line_channel.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mpi/check.hpp"
#include "mpi/mpi_lock.hpp"
#include "mpi/world_impl.hpp"

namespace fanout {
namespace {

using mpi::check_mpi;
using mpi::mpi_mutex;
using mpi::MpiGuard;

constexpr int kTagLines = 1;    ///< rank -> 0: whole lines
constexpr int kTagFlush = 2;    ///< rank -> 0, no payload: "tell me once my lines are durable"
constexpr int kTagFlushed = 3;  ///< 0 -> rank: one byte, 1 when they are, 0 when the commit failed

/// The drain's sleeps: from kDrainFirst after each message, doubling up to kDrainCap, so an idle
/// drain wakes at most ~200 times a second (each wake-up ~30 us of CPU on a VM) and a batch waits
/// at most ~5 ms on rank 0 before it is handed to the log, a tenth of the group commit's interval.
constexpr std::chrono::nanoseconds kDrainFirst{50'000};
constexpr std::chrono::nanoseconds kDrainCap{5'000'000};

}  // namespace

struct LineChannel::State {
  MPI_Comm comm = MPI_COMM_NULL;
  int rank = 0;
  Root root;
  std::function<bool()> before_send;
  std::chrono::milliseconds interval{0};
  std::thread thread;
  std::atomic<bool> stopping{false};

  // Other ranks: what is queued, and the flushes asked for and done.
  mutable std::mutex mutex;
  std::condition_variable wake;
  std::condition_variable flushed;
  std::string pending;
  std::uint64_t flush_wanted = 0;
  std::uint64_t flush_done = 0;
  bool failed = false;

  /// Rank 0's thread.
  void drain() {
    std::vector<char> buffer;
    auto delay = kDrainFirst;
    while (!stopping.load()) {
      int got = 0, count = 0;
      MPI_Status status;
      {
        MpiGuard lock(mpi_mutex());
        check_mpi(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm, &got, &status), "MPI_Iprobe");
        if (got) {
          check_mpi(MPI_Get_count(&status, MPI_CHAR, &count), "MPI_Get_count");
          buffer.resize(static_cast<std::size_t>(std::max(count, 1)));
          // The message probed is there, and this thread alone receives on the communicator.
          check_mpi(MPI_Recv(buffer.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG,
                             comm, MPI_STATUS_IGNORE),
                    "MPI_Recv");
        }
      }
      if (!got) {
        mpi::sleep_for(delay);
        delay = std::min(delay * 2, kDrainCap);
        continue;
      }
      delay = kDrainFirst;
      if (status.MPI_TAG == kTagLines) {
        root.deliver(std::string_view(buffer.data(), static_cast<std::size_t>(count)));
        continue;
      }
      FANOUT_CHECK(status.MPI_TAG == kTagFlush, "line channel: unexpected message tag");
      // A rank's messages arrive in the order it sent them: its lines are delivered already.
      const char ok = root.commit() ? 1 : 0;
      MpiGuard lock(mpi_mutex());
      check_mpi(MPI_Send(&ok, 1, MPI_CHAR, status.MPI_SOURCE, kTagFlushed, comm), "MPI_Send");
    }
  }

  /// The sender thread of another rank.
  void send() {
    using Clock = std::chrono::steady_clock;
    std::unique_lock lock(mutex);
    Clock::time_point last = Clock::now() - interval;
    for (;;) {
      wake.wait(lock, [&] { return stopping || flush_wanted > flush_done || !pending.empty(); });
      if (pending.empty() && flush_wanted == flush_done && stopping) break;
      if (flush_wanted == flush_done && !stopping) {
        wake.wait_until(lock, last + interval,
                        [&] { return stopping.load() || flush_wanted > flush_done; });
      }
      std::string batch;
      batch.swap(pending);
      const std::uint64_t want = flush_wanted;
      const bool round_trip = want > flush_done;
      lock.unlock();
      bool ok = true;
      if (!batch.empty()) {
        ok = !before_send || before_send();
        if (ok) {
          mpi::run_idle(
              [&](MPI_Request* r) {
                return MPI_Isend(batch.data(), static_cast<int>(batch.size()), MPI_CHAR, 0,
                                 kTagLines, comm, r);
              },
              "MPI_Isend", mpi::kDispatchBackoff);
        }
      }
      last = Clock::now();
      if (round_trip) {
        char reply = 0, none = 0;
        MPI_Request requests[2] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
        {
          MpiGuard guard(mpi_mutex());
          check_mpi(MPI_Irecv(&reply, 1, MPI_CHAR, 0, kTagFlushed, comm, &requests[0]),
                    "MPI_Irecv");
          check_mpi(MPI_Isend(&none, 0, MPI_CHAR, 0, kTagFlush, comm, &requests[1]), "MPI_Isend");
        }
        mpi::wait_idle(requests, 2, mpi::kDispatchBackoff);
        if (reply != 1) ok = false;
      }
      lock.lock();
      if (!ok) failed = true;
      if (round_trip) {
        flush_done = want;
        flushed.notify_all();
      }
    }
  }
};

LineChannel::LineChannel(World& world, Root root, std::function<bool()> before_send,
                         std::chrono::milliseconds interval)
    : s_(std::make_unique<State>()) {
  auto& s = *s_;
  s.rank = world.rank();
  s.root = std::move(root);
  s.before_send = std::move(before_send);
  s.interval = interval;
  // A communicator of its own keeps these messages apart from everything else.
  mpi::run_idle([&](MPI_Request* r) { return MPI_Comm_idup(world.impl().comm, &s.comm, r); },
                "MPI_Comm_idup");
  if (s.rank == 0) {
    s.thread = std::thread([&s] { s.drain(); });
  } else {
    s.thread = std::thread([&s] { s.send(); });
  }
}

LineChannel::~LineChannel() {
  auto& s = *s_;
  {
    std::lock_guard lock(s.mutex);
    s.stopping = true;
  }
  s.wake.notify_all();
  s.thread.join();
  MpiGuard lock(mpi_mutex());
  MPI_Comm_free(&s.comm);
}

void LineChannel::post(std::string_view lines) {
  auto& s = *s_;
  FANOUT_CHECK(s.rank != 0, "LineChannel::post on rank 0, which writes the log itself");
  bool first = false;
  {
    std::lock_guard lock(s.mutex);
    first = s.pending.empty();
    s.pending.append(lines);
  }
  // The sender waits out the interval once it has a line: only the first of a batch wakes it.
  if (first) s.wake.notify_one();
}

bool LineChannel::flush() {
  auto& s = *s_;
  FANOUT_CHECK(s.rank != 0, "LineChannel::flush on rank 0, which writes the log itself");
  std::unique_lock lock(s.mutex);
  const std::uint64_t want = ++s.flush_wanted;
  s.wake.notify_one();
  s.flushed.wait(lock, [&] { return s.flush_done >= want; });
  return !s.failed;
}

bool LineChannel::failed() const {
  std::lock_guard lock(s_->mutex);
  return s_->failed;
}

}  // namespace fanout
