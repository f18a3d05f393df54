// StopRelay: one sleeping thread per rank, one posted receive, and a message each way per round
// (a stop, or a stronger stop that replaced it).
#include "mpi/stop_relay.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
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
  /// The codes this rank sent, one per round: a send's buffer lives until the send completes.
  std::deque<int> outgoing;
  std::vector<MPI_Request> sends;
  /// The largest stop code this rank has passed on, or heard from rank 0 (who then knows it).
  int told = 0;
  int sent_to_root = 0;  ///< a rank other than 0: messages sent to rank 0
  int broadcasts = 0;    ///< rank 0: rounds of messages to every other rank
  int heard = 0;         ///< a rank other than 0: messages received from rank 0
  int received = 0;      ///< rank 0: messages received from the other ranks

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
    take(incoming_reason);
    post();
  }

  /// A message received: its stop goes on the flag; rank 0 counts it, another rank knows that
  /// rank 0 has what it says.
  void take(int code) {
    flag->request(StopReason::from_code(code));
    if (rank == 0) {
      ++received;
    } else {
      ++heard;
      told = std::max(told, code);
    }
  }

  /// Passes on a stop seen here, or one that replaced the stop passed on before (a signal after
  /// walltime); true when rank 0 did so just now. Callers hold the MPI lock.
  bool tell() {
    const int code = flag->reason().code();
    if (code <= told) return false;
    told = code;
    const int* buffer = &outgoing.emplace_back(code);
    if (rank != 0) {
      sends.push_back(MPI_REQUEST_NULL);
      check_mpi(MPI_Isend(buffer, 1, MPI_INT, 0, kTagStop, comm, &sends.back()), "MPI_Isend");
      ++sent_to_root;
      return false;
    }
    for (int r = 1; r < size; ++r) {
      sends.push_back(MPI_REQUEST_NULL);
      check_mpi(MPI_Isend(buffer, 1, MPI_INT, r, kTagStop, comm, &sends.back()), "MPI_Isend");
    }
    ++broadcasts;
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
          on_stop(StopReason::from_code(told));
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
  // [0]: messages on their way to rank 0; [1]: the rounds rank 0 sent to every rank.
  int mine[2] = {s.sent_to_root, s.rank == 0 ? s.broadcasts : 0};
  int all[2] = {0, 0};
  mpi::run_idle(
      [&](MPI_Request* r) { return MPI_Iallreduce(mine, all, 2, MPI_INT, MPI_SUM, s.comm, r); },
      "MPI_Iallreduce");
  const int expected = s.rank == 0 ? all[0] : all[1];
  while ((s.rank == 0 ? s.received : s.heard) < expected) {
    mpi::wait_idle(s.incoming);
    s.take(s.incoming_reason);
    MpiGuard lock(mpi_mutex());
    s.post();
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
