// Leader: a buffer of parent grants, a queue of waiting child requests, one refill in flight.
#include "dispatch/leader.hpp"

#include <algorithm>
#include <stdexcept>

namespace fanout::dispatch {

Leader::Leader(int parent, int children, TaskId want_from_parent, TaskId low_water)
    : parent_(parent),
      children_(children),
      want_(want_from_parent == 0 ? 1 : want_from_parent),
      low_water_(low_water == 0 ? 1 : low_water) {
  if (children < 0) throw std::invalid_argument("dispatch::Leader: negative children");
}

bool Leader::finished() const { return done_ >= children_ && parent_closed() && !in_flight_; }

void Leader::start(Outbox& out) {
  if (children_ == 0) {
    close(out);
  } else {
    refill(out);
  }
}

void Leader::grant(int peer, TaskId want, Outbox& out) {
  Range& front = buffer_.front();
  const TaskId n = std::min(std::max<TaskId>(want, 1), front.size());
  const Range r{front.begin, front.begin + n};
  front.begin += n;
  buffered_ -= n;
  if (front.empty()) buffer_.pop_front();
  out.push_back({Tag::grant, peer, r, 0});
}

void Leader::refuse(int peer, Outbox& out) {
  out.push_back({Tag::grant, peer, {}, 0});
  ++done_;
}

void Leader::serve_queue(Outbox& out) {
  while (!queue_.empty() && !buffer_.empty()) {
    grant(queue_.front().peer, queue_.front().want, out);
    queue_.pop_front();
  }
}

void Leader::refill(Outbox& out) {
  if (in_flight_ || parent_closed() || closing_ || stopped_ || buffered_ >= low_water_) return;
  out.push_back({Tag::request, parent_, {}, want_});
  in_flight_ = true;
}

// Ends with the parent: what is buffered is abandoned; the quit waits for a request in flight.
void Leader::close(Outbox& out) {
  abandoned_ += buffered_;
  buffer_.clear();
  buffered_ = 0;
  if (parent_closed()) return;
  if (in_flight_) {
    closing_ = true;
  } else {
    out.push_back({Tag::quit, parent_, {}, 0});
    quit_sent_ = true;
  }
}

void Leader::on_message(const Message& in, Outbox& out) {
  switch (in.tag) {
    case Tag::grant:
      if (!in_flight_) throw std::logic_error("dispatch::Leader: a grant it did not ask for");
      in_flight_ = false;
      if (in.range.empty()) {
        parent_exhausted_ = true;
        closing_ = false;
        while (!queue_.empty()) {
          refuse(queue_.front().peer, out);
          queue_.pop_front();
        }
      } else if (closing_ || stopped_) {
        abandoned_ += in.range.size();
        closing_ = false;
        out.push_back({Tag::quit, parent_, {}, 0});
        quit_sent_ = true;
      } else {
        buffer_.push_back(in.range);
        buffered_ += in.range.size();
        serve_queue(out);
        refill(out);
      }
      return;
    case Tag::request:
      if (!buffer_.empty()) {
        grant(in.peer, in.want, out);
        refill(out);
      } else if (stopped_ || closing_ || parent_closed()) {
        refuse(in.peer, out);
      } else {
        queue_.push_back({in.peer, in.want});
        refill(out);
      }
      break;
    case Tag::quit:
      ++done_;
      break;
  }
  // Every child is done (some quit early): nobody is left to run what it holds or would fetch.
  if (done_ >= children_) close(out);
}

void Leader::stop(Outbox& out) {
  if (stopped_) return;
  stopped_ = true;
  while (!queue_.empty()) {
    refuse(queue_.front().peer, out);
    queue_.pop_front();
  }
  close(out);
}

}  // namespace fanout::dispatch
