// Each machine of the dispatch protocol on literal message sequences.
#include <gtest/gtest.h>

#include "dispatch/leader.hpp"
#include "dispatch/root.hpp"
#include "dispatch/worker.hpp"

namespace fanout::dispatch {
namespace {

Message grant(int from, TaskId begin, TaskId end) { return {Tag::grant, from, {begin, end}, 0}; }
Message request(int from, TaskId want) { return {Tag::request, from, {}, want}; }
Message quit(int from) { return {Tag::quit, from, {}, 0}; }

TEST(DispatchRoot, GrantsUpToWhatIsLeftThenNoMoreToEachChild) {
  Root root(5, 2);
  Outbox out;
  root.on_message(request(7, 3), out);
  root.on_message(request(8, 3), out);
  root.on_message(request(7, 3), out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].peer, 7);
  EXPECT_EQ(out[0].range, (Range{0, 3}));
  EXPECT_EQ(out[1].peer, 8);
  EXPECT_EQ(out[1].range, (Range{3, 5}));
  EXPECT_TRUE(out[2].range.empty());
  EXPECT_FALSE(root.finished());
  root.on_message(quit(8), out);
  EXPECT_TRUE(root.finished());
  EXPECT_EQ(root.handed(), 5u);
}

TEST(DispatchRoot, LocalTakesShareTheCursorAndStopEndsBoth) {
  Root root(10, 1);
  Outbox out;
  EXPECT_EQ(root.take(4), (Range{0, 4}));
  root.on_message(request(1, 0), out);  // want 0 counts as 1
  EXPECT_EQ(out.back().range, (Range{4, 5}));
  root.stop(out);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_FALSE(root.take(1));
  root.on_message(request(1, 2), out);
  EXPECT_TRUE(out.back().range.empty());
  EXPECT_TRUE(root.finished());
  EXPECT_EQ(root.handed(), 5u);
}

TEST(DispatchRoot, GuidedGrantsShareWhatIsLeftAmongTheChildren) {
  Root root(100, 4, 3);
  Outbox out;
  root.on_message(request(1, 50), out);  // a quarter of 100
  root.on_message(request(2, 50), out);  // a quarter of 75, rounded up
  root.on_message(request(3, 2), out);   // wants less than its share
  EXPECT_EQ(out[0].range, (Range{0, 25}));
  EXPECT_EQ(out[1].range, (Range{25, 44}));
  EXPECT_EQ(out[2].range, (Range{44, 46}));
  EXPECT_EQ(root.take(50), (Range{46, 96}));  // local takes are not capped
  root.on_message(request(4, 50), out);       // 4 left: a share of 1, but never below the floor
  EXPECT_EQ(out[3].range, (Range{96, 99}));
}

TEST(DispatchRoot, NothingToHandOut) {
  Root root(0, 1);
  EXPECT_FALSE(root.take(3));
  Outbox out;
  root.on_message(request(1, 3), out);
  EXPECT_TRUE(out.at(0).range.empty());
  EXPECT_TRUE(root.finished());
}

TEST(DispatchWorker, KeepsOneRequestInFlightAhead) {
  Worker w(0, 2);
  Outbox out;
  w.start(out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tag, Tag::request);
  EXPECT_EQ(out[0].want, 2u);
  EXPECT_TRUE(w.waiting());
  out.clear();
  EXPECT_FALSE(w.take(out));
  EXPECT_TRUE(out.empty());
  w.on_message(grant(0, 0, 2), out);
  EXPECT_FALSE(w.waiting());
  EXPECT_EQ(w.take(out), (Range{0, 2}));
  ASSERT_EQ(out.size(), 1u);  // the next one asked for as the first is handed out
  EXPECT_EQ(out[0].tag, Tag::request);
  w.on_message(grant(0, 0, 0), out);
  EXPECT_TRUE(w.exhausted());
  EXPECT_FALSE(w.take(out));
  EXPECT_TRUE(w.finished());
  EXPECT_EQ(w.abandoned(), 0u);
}

TEST(DispatchWorker, StopWaitsForTheAnswerInFlightThenQuits) {
  Worker w(3, 4);
  Outbox out;
  w.start(out);
  w.on_message(grant(3, 0, 4), out);
  out.clear();
  ASSERT_TRUE(w.take(out));  // [0, 4) runs; [4, 8) asked for
  out.clear();
  w.stop(out);
  EXPECT_TRUE(out.empty());  // no quit while a request is unanswered
  EXPECT_FALSE(w.finished());
  w.on_message(grant(3, 4, 8), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tag, Tag::quit);
  EXPECT_EQ(out[0].peer, 3);
  EXPECT_EQ(w.abandoned(), 4u);
  EXPECT_TRUE(w.finished());
}

TEST(DispatchWorker, StopWithAChunkReadyAbandonsIt) {
  Worker w(0, 3);
  Outbox out;
  w.start(out);
  w.on_message(grant(0, 0, 3), out);
  out.clear();
  w.stop(out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tag, Tag::quit);
  EXPECT_EQ(w.abandoned(), 3u);
  EXPECT_FALSE(w.take(out));
  EXPECT_TRUE(w.finished());
}

TEST(DispatchWorker, StopAfterNoMoreSendsNothing) {
  Worker w(0, 1);
  Outbox out;
  w.start(out);
  w.on_message(grant(0, 0, 0), out);
  out.clear();
  w.stop(out);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(w.finished());
}

TEST(DispatchLeader, QueuesRequestsWhileItsBufferIsEmpty) {
  Leader leader(0, 2, 4, 2);
  Outbox out;
  leader.start(out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tag, Tag::request);
  EXPECT_EQ(out[0].peer, 0);
  EXPECT_EQ(out[0].want, 4u);
  out.clear();
  leader.on_message(request(5, 1), out);
  leader.on_message(request(6, 1), out);
  EXPECT_TRUE(out.empty());  // the refill is in flight already
  EXPECT_EQ(leader.queued(), 2u);
  leader.on_message(grant(0, 10, 14), out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].peer, 5);
  EXPECT_EQ(out[0].range, (Range{10, 11}));
  EXPECT_EQ(out[1].peer, 6);
  EXPECT_EQ(out[1].range, (Range{11, 12}));
  EXPECT_EQ(leader.buffered(), 2u);  // at the low water mark: no refill yet
  out.clear();
  leader.on_message(request(5, 1), out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].range, (Range{12, 13}));
  EXPECT_EQ(out[1].tag, Tag::request);  // below the mark now
  EXPECT_EQ(out[1].peer, 0);
}

TEST(DispatchLeader, NoMoreFromTheParentReachesEveryChild) {
  Leader leader(0, 2, 4, 1);
  Outbox out;
  leader.start(out);
  leader.on_message(request(1, 2), out);
  out.clear();
  leader.on_message(grant(0, 0, 0), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].peer, 1);
  EXPECT_TRUE(out[0].range.empty());
  EXPECT_FALSE(leader.finished());
  leader.on_message(request(2, 2), out);
  EXPECT_TRUE(out.back().range.empty());
  EXPECT_TRUE(leader.finished());
}

TEST(DispatchLeader, StopAbandonsTheBufferAndQuitsOnceAnswered) {
  Leader leader(0, 1, 10, 10);
  Outbox out;
  leader.start(out);
  leader.on_message(grant(0, 0, 10), out);  // buffered 10: refill asked for at once? no, 10 >= 10
  out.clear();
  leader.on_message(request(1, 3), out);  // 7 left, below 10: refill in flight
  ASSERT_EQ(out.size(), 2u);
  out.clear();
  leader.stop(out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(leader.abandoned(), 7u);
  leader.on_message(grant(0, 20, 30), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tag, Tag::quit);
  EXPECT_EQ(leader.abandoned(), 17u);
  EXPECT_FALSE(leader.finished());  // its child has not been told yet
  out.clear();
  leader.on_message(request(1, 3), out);
  EXPECT_TRUE(out.at(0).range.empty());
  EXPECT_TRUE(leader.finished());
}

TEST(DispatchLeader, QuitsItsParentWhenEveryChildQuit) {
  Leader leader(0, 2, 4, 1);
  Outbox out;
  leader.start(out);
  leader.on_message(grant(0, 0, 4), out);
  out.clear();
  leader.on_message(quit(1), out);
  EXPECT_TRUE(out.empty());
  leader.on_message(quit(2), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tag, Tag::quit);
  EXPECT_EQ(leader.abandoned(), 4u);
  EXPECT_TRUE(leader.finished());
}

TEST(DispatchLeader, WithoutChildrenItQuitsAtOnce) {
  Leader leader(0, 0, 4, 1);
  Outbox out;
  leader.start(out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tag, Tag::quit);
  EXPECT_TRUE(leader.finished());
}

}  // namespace
}  // namespace fanout::dispatch
