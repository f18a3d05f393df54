// StopRelay: one sleeping thread per rank, one posted receive, and at most one message each way.
#include "mpi/stop_relay.hpp"

#include <condition_variable>
#include <mutex>
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

constexpr int kTagStop = 1;  ///< payload: one int, the stop's reason (StopReason::code)

}  // namespace

struct StopRelay::State {
  MPI_Comm comm = MPI_COMM_NULL;
  int rank = 0;
  int size = 1;
  StopFlag* flag = nullptr;
  std::function<void(StopReason)> on_stop;

  std::thread thread;
  std::mutex quit_mutex;
  std::condition_variable quit_cv;
  bool quit = false;
  bool closed = false;

  // The channel: the thread's while it runs, close()'s after.
  MPI_Request incoming = MPI_REQUEST_NULL;
  int incoming_reason = 0;
  int outgoing_reason = 0;
  std::vector<MPI_Request> sends;
  bool told = false;          ///< this rank has passed the stop on (or needs not: rank 0 told it)
  bool sent_to_root = false;  ///< a rank other than 0 sent rank 0 its message
  bool heard = false;         ///< a rank other than 0 got rank 0's message
  int received = 0;           ///< rank 0: messages received from the other ranks

  /// Callers hold the MPI lock.
  void post() {
    check_mpi(MPI_Irecv(&incoming_reason, 1, MPI_INT, rank == 0 ? MPI_ANY_SOURCE : 0, kTagStop,
                        comm, &incoming),
              "MPI_Irecv");
  }

  /// A message that arrived sets this rank's flag. Callers hold the MPI lock.
  void poll_channel() {
    int got = 0;
    check_mpi(MPI_Test(&incoming, &got, MPI_STATUS_IGNORE), "MPI_Test");
    if (!got) return;
    flag->request(StopReason::from_code(incoming_reason));
    if (rank == 0) {
      ++received;
      post();
    } else {
      heard = true;
      told = true;  // rank 0 knows: it is the one that said so
    }
  }

  /// Passes a stop seen here on; true when rank 0 did so just now. Callers hold the MPI lock.
  bool tell() {
    if (told || !flag->requested()) return false;
    told = true;
    outgoing_reason = flag->reason().code();
    if (rank != 0) {
      sends.assign(1, MPI_REQUEST_NULL);
      check_mpi(MPI_Isend(&outgoing_reason, 1, MPI_INT, 0, kTagStop, comm, sends.data()),
                "MPI_Isend");
      sent_to_root = true;
      return false;
    }
    sends.assign(static_cast<std::size_t>(size - 1), MPI_REQUEST_NULL);
    for (int r = 1; r < size; ++r) {
      check_mpi(MPI_Isend(&outgoing_reason, 1, MPI_INT, r, kTagStop, comm,
                          &sends[static_cast<std::size_t>(r - 1)]),
                "MPI_Isend");
    }
    return true;
  }

  void loop() {
    for (;;) {
      bool root_told = false;
      {
        MpiGuard lock(mpi_mutex());
        poll_channel();
        root_told = tell();
        int done = 0;
        // Testing the sends moves them along while the main thread makes no MPI call.
        if (!sends.empty()) {
          check_mpi(
              MPI_Testall(static_cast<int>(sends.size()), sends.data(), &done, MPI_STATUSES_IGNORE),
              "MPI_Testall");
        }
      }
      if (root_told && on_stop) {
        try {
          on_stop(StopReason::from_code(outgoing_reason));
        } catch (...) {
          // The hook's failure is its own; the run's final write reports what went wrong.
        }
      }
      std::unique_lock lock(quit_mutex);
      if (quit_cv.wait_for(lock, kPoll, [this] { return quit; })) return;
    }
  }

  void stop_thread() {
    {
      std::lock_guard lock(quit_mutex);
      quit = true;
    }
    quit_cv.notify_all();
    if (thread.joinable()) thread.join();
  }
};

StopRelay::StopRelay(World& world, StopFlag& flag, std::function<void(StopReason)> on_stop)
    : s_(std::make_unique<State>()) {
  State& s = *s_;
  s.rank = world.rank();
  s.size = world.size();
  s.flag = &flag;
  s.on_stop = std::move(on_stop);
  mpi::run_idle([&](MPI_Request* r) { return MPI_Comm_idup(world.impl().comm, &s.comm, r); },
                "MPI_Comm_idup");
  {
    MpiGuard lock(mpi_mutex());
    s.post();
  }
  s.thread = std::thread([&s] { s.loop(); });
}

StopRelay::~StopRelay() {
  State& s = *s_;
  if (s.closed) return;
  s.stop_thread();
  // No agreement here: the other ranks may be anywhere. Requests are let go, not waited for.
  MpiGuard lock(mpi_mutex());
  if (s.incoming != MPI_REQUEST_NULL) {
    MPI_Cancel(&s.incoming);
    MPI_Request_free(&s.incoming);
  }
  for (MPI_Request& r : s.sends) {
    if (r != MPI_REQUEST_NULL) MPI_Request_free(&r);
  }
}

void StopRelay::close() {
  State& s = *s_;
  if (s.closed) return;
  s.stop_thread();
  {
    // A stop the thread had no time to pass on still goes out (the hook does not run for it).
    MpiGuard lock(mpi_mutex());
    s.poll_channel();
    s.tell();
  }
  if (!s.sends.empty()) mpi::wait_idle(s.sends.data(), static_cast<int>(s.sends.size()));
  // [0]: messages on their way to rank 0; [1]: whether rank 0 sent one to every rank.
  int mine[2] = {s.sent_to_root ? 1 : 0, s.rank == 0 && s.told ? 1 : 0};
  int all[2] = {0, 0};
  mpi::run_idle(
      [&](MPI_Request* r) { return MPI_Iallreduce(mine, all, 2, MPI_INT, MPI_SUM, s.comm, r); },
      "MPI_Iallreduce");
  if (s.rank == 0) {
    while (s.received < all[0]) {
      mpi::wait_idle(s.incoming);
      ++s.received;
      s.flag->request(StopReason::from_code(s.incoming_reason));
      MpiGuard lock(mpi_mutex());
      s.post();
    }
  } else if (all[1] && !s.heard) {
    mpi::wait_idle(s.incoming);
    s.heard = true;
    s.flag->request(StopReason::from_code(s.incoming_reason));
  }
  {
    MpiGuard lock(mpi_mutex());
    if (s.incoming != MPI_REQUEST_NULL) check_mpi(MPI_Cancel(&s.incoming), "MPI_Cancel");
  }
  if (s.incoming != MPI_REQUEST_NULL) mpi::wait_idle(s.incoming);
  MpiGuard lock(mpi_mutex());
  MPI_Comm_free(&s.comm);
  s.closed = true;
}

}  // namespace fanout
