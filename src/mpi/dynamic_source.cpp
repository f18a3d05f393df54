// DynamicSource: a shared atomic cursor on rank 0, a sleeping dispatcher thread, and one request
// in flight per remote rank.
#include "mpi/dynamic_source.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>

#include "mpi/check.hpp"
#include "mpi/mpi_lock.hpp"
#include "mpi/world_impl.hpp"
#include "timing/clock.hpp"

namespace fanout {

namespace {

using mpi::check_mpi;
using mpi::mpi_mutex;
using mpi::MpiGuard;

constexpr int kTagRequest = 1;  ///< remote -> 0, no payload: "give me a chunk"
constexpr int kTagReply = 2;    ///< 0 -> remote, [begin, end): empty means "no more"
constexpr int kTagQuit = 3;     ///< remote -> 0, no payload: "I stopped early, do not wait for me"

/// The dispatcher's sleeps start at kServeFirst after each request and double up to a cap that
/// follows the request rate: an eighth of the recent mean gap between requests (or of the silence
/// since the last one, if longer), within
/// [kServeCapMin, kServeCapMax]. A remote rank asks for chunk k+1 when it takes chunk k, so a
/// reply is needed no sooner than one gap later and the delay stays hidden, while an idle
/// dispatcher wakes at most ~1000 times a second: each wake-up, not MPI_Test (~30 ns), is what
/// costs rank 0's cores CPU (~30 us a wake-up measured on a VM).
constexpr std::chrono::nanoseconds kServeFirst{1'000};
constexpr std::chrono::nanoseconds kServeCapMin{50'000};
constexpr std::chrono::nanoseconds kServeCapMax{1'000'000};

}  // namespace

struct DynamicSource::State {
  MPI_Comm comm = MPI_COMM_NULL;
  int rank = 0;
  TaskId total = 0;
  TaskId chunk = 1;
  bool participates = true;
  bool finished = false;
  const StopFlag* stop = nullptr;

  // Rank 0: the cursor its workers and the dispatcher share, and the dispatcher.
  std::atomic<TaskId> cursor{0};
  int remote_participants = 0;
  std::thread dispatcher;

  // Other ranks: one request in flight; the mutex serialises next() across workers.
  std::mutex mutex;
  bool in_flight = false;
  bool exhausted = false;
  MPI_Request requests[2] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
  std::uint64_t reply[2] = {0, 0};
  char no_payload = 0;
  TaskId abandoned = 0;
  /// Rank 0: written by the dispatcher, read after it is joined.
  DispatchLoad load;

  std::optional<TaskRange> take_local() {
    // Rank 0 stopping: its workers and, through the dispatcher, every other rank get "no more".
    if (stop_requested(stop)) return std::nullopt;
    // The load first keeps the cursor from running far past total once it is drained.
    if (cursor.load(std::memory_order_relaxed) >= total) return std::nullopt;
    const TaskId begin = cursor.fetch_add(chunk, std::memory_order_relaxed);
    if (begin >= total) return std::nullopt;
    return TaskRange{begin, std::min(begin + chunk, total)};
  }

  void serve() {
    const mpi::PreciseSleeps
        precise;  // this thread only sleeps to poll; its sleeps should be short
    int remaining = remote_participants;
    MPI_Request incoming = MPI_REQUEST_NULL;
    MPI_Status status;
    const auto post = [&] {
      check_mpi(MPI_Irecv(&no_payload, 1, MPI_CHAR, MPI_ANY_SOURCE, MPI_ANY_TAG, comm, &incoming),
                "MPI_Irecv");
    };
    {
      MpiGuard lock(mpi_mutex());
      post();
    }
    auto delay = kServeFirst;
    auto mean_gap = kServeCapMin * 8;
    auto last_request = Clock::now();
    while (remaining > 0) {
      int got = 0;
      {
        MpiGuard lock(mpi_mutex());
        check_mpi(MPI_Test(&incoming, &got, &status), "MPI_Test");
        if (got) {
          if (status.MPI_TAG == kTagRequest) {
            const auto seen = Clock::now();
            const auto r = take_local();
            const std::uint64_t out[2] = {r ? r->begin : 0, r ? r->end : 0};
            // 16 bytes go out eagerly, and the requester has its receive posted: no wait here.
            check_mpi(MPI_Send(out, 2, MPI_UINT64_T, status.MPI_SOURCE, kTagReply, comm),
                      "MPI_Send");
            ++load.requests;
            load.busy_s += seconds_between(seen, Clock::now());
            if (!r) --remaining;
          } else {
            FANOUT_CHECK(status.MPI_TAG == kTagQuit, "dynamic dispatcher: unexpected message tag");
            --remaining;
          }
          if (remaining > 0) post();
        }
      }
      if (got) {
        const auto now = Clock::now();
        mean_gap = (mean_gap * 7 +
                    std::chrono::duration_cast<std::chrono::nanoseconds>(now - last_request)) /
                   8;
        last_request = now;
        delay = kServeFirst;
        continue;
      }
      mpi::sleep_for(delay);
      // A silence longer than the mean gap counts as the gap, so an idle dispatcher slows down.
      const auto quiet =
          std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - last_request);
      delay = std::min(delay * 2,
                       std::clamp(std::max(mean_gap, quiet) / 8, kServeCapMin, kServeCapMax));
    }
  }

  // Remote side; callers hold `mutex`.
  void post_request() {
    MpiGuard lock(mpi_mutex());
    check_mpi(MPI_Irecv(reply, 2, MPI_UINT64_T, 0, kTagReply, comm, &requests[1]), "MPI_Irecv");
    check_mpi(MPI_Isend(&no_payload, 0, MPI_CHAR, 0, kTagRequest, comm, &requests[0]), "MPI_Isend");
    in_flight = true;
  }

  std::optional<TaskRange> receive_reply() {
    mpi::wait_idle(requests, 2, mpi::kDispatchBackoff);
    in_flight = false;
    const TaskRange r{reply[0], reply[1]};
    if (r.empty()) {
      exhausted = true;
      return std::nullopt;
    }
    return r;
  }
};

DynamicSource::DynamicSource(World& world, TaskId total, TaskId chunk, bool participates,
                             const StopFlag* stop)
    : s_(std::make_unique<State>()) {
  auto& s = *s_;
  s.stop = stop;
  s.rank = world.rank();
  s.total = total;
  s.chunk = chunk == 0 ? 1 : chunk;
  s.participates = participates;
  FANOUT_CHECK(total <= (TaskId{1} << 62) && s.chunk <= (TaskId{1} << 62),
               "DynamicSource: task count or chunk too large for the shared cursor");

  // A communicator of its own keeps this protocol's messages apart from everything else.
  mpi::run_idle([&](MPI_Request* r) { return MPI_Comm_idup(world.impl().comm, &s.comm, r); },
                "MPI_Comm_idup");
  int mine = (s.rank != 0 && participates) ? 1 : 0;
  mpi::run_idle(
      [&](MPI_Request* r) {
        return MPI_Ireduce(&mine, &s.remote_participants, 1, MPI_INT, MPI_SUM, 0, s.comm, r);
      },
      "MPI_Ireduce");

  if (s.rank == 0) {
    if (s.remote_participants > 0) s.dispatcher = std::thread([&s] { s.serve(); });
  } else if (participates) {
    std::lock_guard lock(s.mutex);
    s.post_request();  // the first chunk travels while the caller sets up its executor
  }
}

DynamicSource::~DynamicSource() {
  if (!s_->finished) finish();
}

std::optional<TaskRange> DynamicSource::next() {
  auto& s = *s_;
  FANOUT_CHECK(s.participates, "DynamicSource::next() on a rank that said it does not participate");
  if (s.rank == 0) return s.take_local();
  // The request in flight stays: finish() collects its reply and tells rank 0 this rank quit.
  if (stop_requested(s.stop)) return std::nullopt;
  std::lock_guard lock(s.mutex);
  if (!s.in_flight) return std::nullopt;  // told "no more" already
  auto r = s.receive_reply();
  if (r) s.post_request();
  return r;
}

void DynamicSource::finish() {
  auto& s = *s_;
  if (s.finished) return;
  s.finished = true;
  if (s.rank == 0) {
    if (s.dispatcher.joinable()) s.dispatcher.join();
  } else if (s.participates) {
    std::lock_guard lock(s.mutex);
    if (s.in_flight) {
      if (const auto r = s.receive_reply()) s.abandoned += r->size();
    }
    if (!s.exhausted) {
      mpi::run_idle(
          [&](MPI_Request* r) {
            return MPI_Isend(&s.no_payload, 0, MPI_CHAR, 0, kTagQuit, s.comm, r);
          },
          "MPI_Isend");
      s.exhausted = true;
    }
  }
  MpiGuard lock(mpi_mutex());
  MPI_Comm_free(&s.comm);
}

TaskId DynamicSource::abandoned() const { return s_->abandoned; }

DispatchLoad DynamicSource::load() const { return s_->load; }

}  // namespace fanout
