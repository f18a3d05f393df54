// DynamicSource: src/dispatch's protocol over MPI. Rank 0 runs the Root (an atomic cursor its
// workers share with a sleeping dispatcher thread), node leaders a Leader in a dispatcher thread
// of their own, every other participating rank a Worker with one request in flight.
#include "mpi/dynamic_source.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "cli/config_error.hpp"
#include "dispatch/leader.hpp"
#include "dispatch/root.hpp"
#include "dispatch/tree.hpp"
#include "dispatch/worker.hpp"
#include "mpi/agree.hpp"
#include "mpi/check.hpp"
#include "mpi/mpi_lock.hpp"
#include "mpi/world_impl.hpp"
#include "timing/clock.hpp"

namespace fanout {

namespace {

using dispatch::Message;
using dispatch::Outbox;
using dispatch::Tag;
using mpi::check_mpi;
using mpi::mpi_mutex;
using mpi::MpiGuard;

/// The wire: the tag is the protocol's; a request carries [want], a grant [begin, end), a quit
/// nothing.
int tag_of(Tag t) { return static_cast<int>(t); }

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

/// Sends one protocol message (blocking: at most 16 bytes, which go out eagerly). Callers hold
/// the MPI lock.
void send_message(const Message& m, MPI_Comm comm) {
  const std::uint64_t payload[2] = {m.tag == Tag::request ? m.want : m.range.begin, m.range.end};
  const int count = m.tag == Tag::grant ? 2 : m.tag == Tag::request ? 1 : 0;
  check_mpi(MPI_Send(payload, count, MPI_UINT64_T, m.peer, tag_of(m.tag), comm), "MPI_Send");
}

}  // namespace

struct DynamicSource::State {
  MPI_Comm comm = MPI_COMM_NULL;
  int rank = 0;
  TaskId chunk = 1;
  bool participates = true;
  bool finished = false;
  const StopFlag* stop = nullptr;

  /// Rank 0: the cursor its workers and the dispatcher share.
  std::unique_ptr<dispatch::Root> root;
  /// A node leader: the node's buffer and queue, shared by the dispatcher and this rank's
  /// workers under `mutex`.
  std::unique_ptr<dispatch::Leader> leader;
  /// This rank's end when it participates (but on rank 0): its parent is rank 0 or its node's
  /// leader, which is this very rank on a leader (the messages between them stay in-process).
  std::unique_ptr<dispatch::Worker> worker;
  std::thread dispatcher;
  Outbox out;  ///< handlers' messages, sent before the lock that guards it is released

  /// Serialises next() on a worker rank; on a leader guards `leader` and `worker` too.
  std::mutex mutex;
  /// A leader's dispatcher handled a message: this rank's waiting workers look again.
  std::condition_variable arrived;

  // A worker rank's request in flight, and what it sends.
  MPI_Request requests[2] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
  std::uint64_t reply[2] = {0, 0};
  std::uint64_t want = 0;
  char no_payload = 0;

  /// Rank 0: written by the dispatcher, read after it is joined.
  DispatchLoad load;

  std::optional<TaskRange> take_local() {
    // Rank 0 stopping: its workers and, through the dispatcher, every other rank get "no more".
    if (stop_requested(stop)) return std::nullopt;
    const auto r = root->take(chunk);
    if (!r) return std::nullopt;
    return TaskRange{r->begin, r->end};
  }

  // --- a worker rank (not a leader); callers hold `mutex` ---

  /// Puts the worker's messages on the wire: a request goes with the receive of its answer.
  void send_up() {
    for (const Message& m : out) {
      if (m.tag == Tag::request) {
        want = m.want;
        MpiGuard lock(mpi_mutex());
        check_mpi(MPI_Irecv(reply, 2, MPI_UINT64_T, m.peer, tag_of(Tag::grant), comm, &requests[1]),
                  "MPI_Irecv");
        check_mpi(
            MPI_Isend(&want, 1, MPI_UINT64_T, m.peer, tag_of(Tag::request), comm, &requests[0]),
            "MPI_Isend");
      } else {
        mpi::run_idle(
            [&](MPI_Request* r) {
              return MPI_Isend(&no_payload, 0, MPI_CHAR, m.peer, tag_of(Tag::quit), comm, r);
            },
            "MPI_Isend");
      }
    }
    out.clear();
  }

  /// Waits (sleeping) for the answer to the request in flight and feeds it to the worker.
  void await_grant() {
    mpi::wait_idle(requests, 2, mpi::kDispatchBackoff);
    worker->on_message({Tag::grant, worker->parent(), {reply[0], reply[1]}, 0}, out);
    send_up();
  }

  // --- a leader; callers hold `mutex` ---

  /// Delivers the leader's and this rank's worker's messages: between the two in-process (which
  /// may answer at once), to other ranks over MPI.
  void route() {
    for (std::size_t i = 0; i < out.size(); ++i) {
      Message m = out[i];
      if (m.peer != rank) {
        MpiGuard lock(mpi_mutex());
        send_message(m, comm);
        continue;
      }
      if (m.tag == Tag::grant) {
        worker->on_message(m, out);
      } else {
        leader->on_message(m, out);
      }
    }
    out.clear();
  }

  // --- the dispatcher thread, on rank 0 and on leaders ---

  bool serving_done() {
    if (root) return root->finished();
    std::lock_guard lock(mutex);
    return leader->finished();
  }

  void on_stop() {
    if (root) {
      root->stop(out);  // nothing queued at the root: `out` stays empty
      return;
    }
    std::lock_guard lock(mutex);
    leader->stop(out);
    route();
    arrived.notify_all();
  }

  void serve() {
    const mpi::PreciseSleeps
        precise;  // this thread only sleeps to poll; its sleeps should be short
    MPI_Request incoming = MPI_REQUEST_NULL;
    MPI_Status status;
    std::uint64_t in[2] = {0, 0};
    const auto post = [&] {
      check_mpi(MPI_Irecv(in, 2, MPI_UINT64_T, MPI_ANY_SOURCE, MPI_ANY_TAG, comm, &incoming),
                "MPI_Irecv");
    };
    const auto received = [&] {
      const auto tag = static_cast<Tag>(status.MPI_TAG);
      FANOUT_CHECK(tag == Tag::request || tag == Tag::grant || tag == Tag::quit,
                   "dynamic dispatcher: unexpected message tag");
      if (tag == Tag::grant) return Message{tag, status.MPI_SOURCE, {in[0], in[1]}, 0};
      return Message{tag, status.MPI_SOURCE, {}, tag == Tag::request ? in[0] : 0};
    };
    bool done = serving_done();
    if (!done) {
      MpiGuard lock(mpi_mutex());
      post();
    }
    bool stop_seen = false;
    auto delay = kServeFirst;
    auto mean_gap = kServeCapMin * 8;
    auto last_request = Clock::now();
    while (!done) {
      if (!stop_seen && stop_requested(stop)) {
        stop_seen = true;
        on_stop();
      }
      int got = 0;
      if (root) {
        // Rank 0's hot path: test, answer and post again under one hold of the lock.
        MpiGuard lock(mpi_mutex());
        check_mpi(MPI_Test(&incoming, &got, &status), "MPI_Test");
        if (got) {
          const auto seen = Clock::now();
          const Message m = received();
          root->on_message(m, out);
          for (const Message& reply_msg : out) {
            send_message(reply_msg, comm);
            load.ids += reply_msg.range.size();
          }
          out.clear();
          if (m.tag == Tag::request) {
            ++load.requests;
            load.busy_s += seconds_between(seen, Clock::now());
          }
          done = root->finished();
          if (!done) post();
        }
      } else {
        // A leader: the lock order is always `mutex`, then the MPI lock (route() sends).
        {
          MpiGuard lock(mpi_mutex());
          check_mpi(MPI_Test(&incoming, &got, &status), "MPI_Test");
        }
        if (got) {
          std::lock_guard lock(mutex);
          leader->on_message(received(), out);
          route();
          arrived.notify_all();
          done = leader->finished();
          if (!done) {
            MpiGuard mpi_lock(mpi_mutex());
            post();
          }
        } else {
          // This rank's own worker may have ended the leader's last duty (its quit at finish()).
          done = serving_done();
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
      if (done) break;
      mpi::sleep_for(delay);
      // A silence longer than the mean gap counts as the gap, so an idle dispatcher slows down.
      const auto quiet =
          std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - last_request);
      delay = std::min(delay * 2,
                       std::clamp(std::max(mean_gap, quiet) / 8, kServeCapMin, kServeCapMax));
    }
    if (incoming != MPI_REQUEST_NULL) {
      // Finished by a local event: no message is on its way to this rank any more.
      {
        MpiGuard lock(mpi_mutex());
        check_mpi(MPI_Cancel(&incoming), "MPI_Cancel");
      }
      mpi::wait_idle(incoming, mpi::kDispatchBackoff);
    }
  }

  /// The further level: with more node leaders than `fanout`, they go in groups of at most
  /// `fanout` by rank, and each group's first leader serves its group's other leaders besides its
  /// own node (a Leader of the root wanting rounds for the whole group), so that rank 0 answers
  /// one request per group round. `place` is this rank's from dispatch::place(); `node` and
  /// `part` the lists it came from.
  void group(dispatch::Place& place, const std::vector<int>& node, const std::vector<int>& part,
             int fanout) {
    // The node leaders (dispatch::place's rule: the lowest participant of each node but rank
    // 0's) in rank order, and the participants of each leader's node.
    std::vector<int> first_of;  // by node: its lowest participant, or -1
    std::vector<int> count_of;
    std::vector<int> leaders;
    std::vector<int> index_of(node.size(), -1);  // by rank: its index in `leaders`
    const auto to_index = [](int i) { return static_cast<std::size_t>(i); };
    const auto at = [](std::vector<int>& v, int i, int fill) -> int& {
      const auto at_i = static_cast<std::size_t>(i);
      if (at_i >= v.size()) v.resize(at_i + 1, fill);
      return v[at_i];
    };
    for (std::size_t q = 0; q < node.size(); ++q) {
      if (!part[q]) continue;
      ++at(count_of, node[q], 0);
      int& first = at(first_of, node[q], -1);
      if (first >= 0) continue;
      first = static_cast<int>(q);
      if (q != 0 && node[q] != node[0]) {
        index_of[q] = static_cast<int>(leaders.size());
        leaders.push_back(static_cast<int>(q));
      }
    }
    const auto n = static_cast<int>(leaders.size());
    if (n <= fanout) return;
    const int groups = (n + fanout - 1) / fanout;
    if (rank == 0) {
      place.children -= n - groups;  // the leaders that are not their group's first
      return;
    }
    if (!place.leads) return;
    const int i = index_of[to_index(rank)];
    const int head = leaders[to_index(i - i % fanout)];
    if (head != rank) {
      leader_parent = head;
      return;
    }
    const int members = std::min(fanout, n - i);
    place.children += members - 1;
    group_participants = 0;
    for (auto k = static_cast<std::size_t>(i); k < static_cast<std::size_t>(i + members); ++k)
      group_participants += count_of[to_index(node[to_index(leaders[k])])];
  }

  /// A node leader's parent: rank 0, or its group's first leader (see group()).
  int leader_parent = 0;
  /// On a group's first leader: the participants of its group's nodes (0: not one).
  int group_participants = 0;

  /// This rank's part, from its place in the tree (`leaders`: whether the tree has them).
  void build(const dispatch::Place& place, bool leaders, TaskId total) {
    if (rank == 0) {
      // Leaders want node rounds: guided grants keep the last ids from going to one node.
      root = std::make_unique<dispatch::Root>(total, place.children, leaders ? chunk : 0);
      if (place.children > 0) dispatcher = std::thread([this] { serve(); });
      return;
    }
    if (place.leads) {
      // A node round buffered ahead, refilled when less than one is left: rank 0's answer
      // arrives while the node runs the round it holds. A group's first leader wants rounds for
      // every rank of its group.
      const auto n =
          static_cast<TaskId>(group_participants > 0 ? group_participants : place.children);
      const TaskId round = std::min<TaskId>(chunk, (TaskId{1} << 61) / n) * n;
      leader = std::make_unique<dispatch::Leader>(leader_parent, place.children, 2 * round, round);
      std::lock_guard lock(mutex);
      leader->start(out);
      if (participates) {
        worker = std::make_unique<dispatch::Worker>(rank, chunk);
        worker->start(out);
      }
      route();
      dispatcher = std::thread([this] { serve(); });
    } else if (participates) {
      std::lock_guard lock(mutex);
      worker = std::make_unique<dispatch::Worker>(place.parent, chunk);
      worker->start(out);  // the first chunk travels while the caller sets up its executor
      send_up();
    }
  }
};

DynamicSource::DynamicSource(World& world, TaskId total, TaskId chunk, bool participates,
                             const StopFlag* stop, std::optional<LeaderLayout> layout)
    : s_(std::make_unique<State>()) {
  auto& s = *s_;
  s.stop = stop;
  s.rank = world.rank();
  s.chunk = chunk == 0 ? 1 : chunk;
  s.participates = participates;
  FANOUT_CHECK(total <= (TaskId{1} << 62) && s.chunk <= (TaskId{1} << 62),
               "DynamicSource: task count or chunk too large for the shared cursor");

  // Rank 0's layout counts; its mistake fails every rank alike, and only rank 0 prints it.
  std::optional<std::string> error;
  LeaderLayout mine;
  if (s.rank == 0) {
    try {
      mine = layout ? *layout
                    : leader_layout_from_env([](const char* name) { return std::getenv(name); });
    } catch (const ConfigError& e) {
      error = e.what();
    }
  }

  // Rank 0's layout to every rank: sums in which only rank 0 puts anything.
  const bool root = s.rank == 0;
  int wire[4] = {root ? static_cast<int>(mine.mode) : 0, root ? mine.node_size : 0,
                 root ? mine.fanout : 0, root && error ? 1 : 0};
  int sum[4] = {};
  mpi::run_idle(
      [&](MPI_Request* r) {
        return MPI_Iallreduce(wire, sum, 4, MPI_INT, MPI_SUM, world.impl().comm, r);
      },
      "MPI_Iallreduce");
  if (sum[3] != 0) throw AgreedFailure(error.value_or("rank 0's dispatch layout is not valid"), 2);
  const auto mode = static_cast<LeaderLayout::Mode>(sum[0]);
  const int node_size = sum[1];
  const int fanout = sum[2];
  const int groups =
      node_size > 0 ? (world.size() + node_size - 1) / node_size : world.node_count();
  const bool leaders =
      mode == LeaderLayout::Mode::always || (mode == LeaderLayout::Mode::automatic && groups > 1);

  // A communicator of its own keeps this protocol's messages apart from everything else.
  mpi::run_idle([&](MPI_Request* r) { return MPI_Comm_idup(world.impl().comm, &s.comm, r); },
                "MPI_Comm_idup");
  dispatch::Place place;
  if (!leaders) {
    // Last, and a reduction to rank 0 only: the other ranks go on (and ask for their first
    // chunk) as soon as their part is sent.
    int mine_counts = !root && participates ? 1 : 0;
    mpi::run_idle(
        [&](MPI_Request* r) {
          return MPI_Ireduce(&mine_counts, &place.children, 1, MPI_INT, MPI_SUM, 0, s.comm, r);
        },
        "MPI_Ireduce");
  } else {
    // Every rank's node and part, on every rank: each works out the tree alike.
    const int entry[2] = {node_size > 0 ? s.rank / node_size : world.node_index(),
                          participates ? 1 : 0};
    std::vector<int> all(2 * static_cast<std::size_t>(world.size()));
    mpi::run_idle(
        [&](MPI_Request* r) {
          return MPI_Iallgather(entry, 2, MPI_INT, all.data(), 2, MPI_INT, s.comm, r);
        },
        "MPI_Iallgather");
    std::vector<int> node(static_cast<std::size_t>(world.size()));
    std::vector<int> part(node.size());
    for (std::size_t q = 0; q < node.size(); ++q) {
      node[q] = all[2 * q];
      part[q] = all[2 * q + 1];
    }
    place = dispatch::place(s.rank, node, part, true);
    s.group(place, node, part, fanout);
  }
  s.build(place, leaders, total);
}

DynamicSource::~DynamicSource() {
  if (!s_->finished) finish();
}

std::optional<TaskRange> DynamicSource::next() {
  auto& s = *s_;
  FANOUT_CHECK(s.participates, "DynamicSource::next() on a rank that said it does not participate");
  if (s.root) return s.take_local();
  // The request in flight stays: finish() collects its answer and tells the parent this rank quit.
  if (stop_requested(s.stop)) return std::nullopt;
  std::unique_lock lock(s.mutex);
  for (;;) {
    const auto r = s.worker->take(s.out);
    if (s.leader) {
      s.route();
    } else {
      s.send_up();
    }
    if (r) return TaskRange{r->begin, r->end};
    if (!s.worker->waiting()) return std::nullopt;  // told "no more"
    if (s.leader) {
      s.arrived.wait(lock);
      if (stop_requested(s.stop)) return std::nullopt;
    } else {
      s.await_grant();
    }
  }
}

void DynamicSource::finish() {
  auto& s = *s_;
  if (s.finished) return;
  s.finished = true;
  if (s.leader) {
    if (s.worker) {
      std::lock_guard lock(s.mutex);
      s.worker->stop(s.out);  // nothing, when told "no more" already
      s.route();
    }
  } else if (s.worker) {
    std::lock_guard lock(s.mutex);
    s.worker->stop(s.out);
    s.send_up();
    while (!s.worker->finished()) s.await_grant();
  }
  if (s.dispatcher.joinable()) s.dispatcher.join();
  MpiGuard lock(mpi_mutex());
  MPI_Comm_free(&s.comm);
}

TaskId DynamicSource::abandoned() const {
  std::lock_guard lock(s_->mutex);
  return (s_->worker ? s_->worker->abandoned() : 0) + (s_->leader ? s_->leader->abandoned() : 0);
}

DispatchLoad DynamicSource::load() const { return s_->load; }

bool DynamicSource::leads() const { return s_->leader != nullptr; }

}  // namespace fanout
