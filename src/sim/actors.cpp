// Actor bodies: receive, pay the calibrated cost, let the protocol decide, send what it said.
#include "sim/actors.hpp"

#include <algorithm>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace fanout::sim {

namespace s4u = simgrid::s4u;

void Ledger::mark(dispatch::Range r) {
  for (dispatch::TaskId id = r.begin; id < r.end; ++id) {
    if (id >= seen_.size()) {
      ++out_of_range_;
    } else if (seen_[id]) {
      ++duplicates_;
    } else {
      seen_[id] = true;
      ++distinct_;
    }
  }
}

namespace {

/// One chunk run by a worker: its tasks' time passes, then the worker's tally has it.
void run_chunk(dispatch::Range r, const WorkerContext& context, WorkerTally& tally) {
  context.ledger.mark(r);
  const TaskTimes::Span t = context.times.span(r);
  s4u::this_actor::sleep_for(t.sum_s);
  tally.tasks += r.size();
  ++tally.chunks;
  tally.task_s += t.sum_s;
  tally.longest_s = std::max(tally.longest_s, t.longest_s);
  tally.last_end_s = s4u::Engine::get_clock();
}

/// The dispatcher's loop, the same for root and leader: one message at a time, each costing
/// `cost_s` of its time (messages arriving meanwhile wait in its mailbox).
template <typename Protocol>
void serve(Post& post, int me, Protocol& protocol, double cost_s, DispatcherTally& tally,
           dispatch::Outbox& out) {
  while (!protocol.finished()) {
    const dispatch::Message in = post.receive(me);
    s4u::this_actor::sleep_for(cost_s);
    ++tally.messages;
    tally.busy_s += cost_s;
    protocol.on_message(in, out);
    post.send(me, out);
  }
  tally.done = true;
}

}  // namespace

void run_root(Post& post, int me, dispatch::Root& root, double cost_s, DispatcherTally& tally) {
  post.open(me);
  dispatch::Outbox out;
  serve(post, me, root, cost_s, tally, out);
  post.close(me);
}

void run_leader(Post& post, int me, dispatch::Leader& leader, double cost_s,
                DispatcherTally& tally) {
  post.open(me);
  dispatch::Outbox out;
  leader.start(out);
  post.send(me, out);
  serve(post, me, leader, cost_s, tally, out);
  post.close(me);
}

void run_worker(Post& post, int me, dispatch::Worker& worker, const WorkerContext& context,
                WorkerTally& tally) {
  post.open(me);
  dispatch::Outbox out;
  worker.start(out);
  post.send(me, out);
  for (;;) {
    if (const auto r = worker.take(out)) {
      post.send(me, out);  // the next request leaves before this chunk runs
      run_chunk(*r, context, tally);
      continue;
    }
    post.send(me, out);
    if (worker.exhausted()) break;
    worker.on_message(post.receive(me), out);
    post.send(me, out);
  }
  tally.done = true;
  post.close(me);
}

void run_local_worker(dispatch::Root& root, dispatch::TaskId chunk, const WorkerContext& context,
                      WorkerTally& tally) {
  while (const auto r = root.take(chunk)) run_chunk(*r, context, tally);
  tally.done = true;
}

}  // namespace fanout::sim
