// Worker: one request in flight ahead of the chunk being run.
#include "dispatch/worker.hpp"

#include <stdexcept>

namespace fanout::dispatch {

Worker::Worker(int parent, TaskId chunk) : parent_(parent), chunk_(chunk == 0 ? 1 : chunk) {}

void Worker::request(Outbox& out) {
  out.push_back({Tag::request, parent_, {}, chunk_});
  in_flight_ = true;
}

void Worker::quit(Outbox& out) {
  out.push_back({Tag::quit, parent_, {}, 0});
  quit_sent_ = true;
}

void Worker::start(Outbox& out) {
  if (!in_flight_ && !ready_ && !exhausted_ && !stopped_ && !quit_sent_) request(out);
}

std::optional<Range> Worker::take(Outbox& out) {
  if (stopped_ || !ready_) return std::nullopt;
  const Range r = *ready_;
  ready_.reset();
  if (!exhausted_ && !in_flight_) request(out);
  return r;
}

void Worker::on_message(const Message& in, Outbox& out) {
  if (in.tag != Tag::grant || !in_flight_)
    throw std::logic_error("dispatch::Worker: a message it did not ask for");
  in_flight_ = false;
  if (in.range.empty()) {
    exhausted_ = true;
  } else if (stopped_) {
    abandoned_ += in.range.size();
    quit(out);
  } else {
    ready_ = in.range;
  }
}

void Worker::stop(Outbox& out) {
  if (stopped_) return;
  stopped_ = true;
  if (ready_) abandoned_ += ready_->size();
  ready_.reset();
  // With a request in flight the quit waits for its answer, so the parent sees no request after
  // the quit and no grant goes unaccounted.
  if (!exhausted_ && !in_flight_ && !quit_sent_) quit(out);
}

}  // namespace fanout::dispatch
