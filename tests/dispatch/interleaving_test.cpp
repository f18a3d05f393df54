// The dispatch protocol over 1 to 3 levels with messages delivered in random orders: every id runs
// exactly once, or, after a stop, is counted abandoned or was never handed out.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "dispatch/leader.hpp"
#include "dispatch/root.hpp"
#include "dispatch/worker.hpp"

namespace fanout::dispatch {
namespace {

/// A tree of machines (node 0 the root, then leaders, then workers) and the messages in flight
/// between them, delivered in an order a seeded generator picks.
class Tree {
 public:
  struct Shape {
    TaskId total = 0;
    TaskId chunk = 1;
    std::vector<int>
        fan_out;  ///< children per node at each level below the root; the last: workers
    TaskId leader_want = 1;
    TaskId leader_low = 1;
    TaskId guided_floor = 0;  ///< the root's
  };

  Tree(const Shape& shape, std::uint64_t seed) : rng_(seed), shape_(shape), runs_(shape.total, 0) {
    // Breadth first: each level's nodes get ids after the previous level's.
    std::vector<int> level{0};
    parent_.push_back(-1);
    for (std::size_t depth = 0; depth < shape.fan_out.size(); ++depth) {
      std::vector<int> next;
      for (int p : level)
        for (int c = 0; c < shape.fan_out[depth]; ++c) {
          next.push_back(static_cast<int>(parent_.size()));
          parent_.push_back(p);
        }
      const bool workers = depth + 1 == shape.fan_out.size();
      for (int id : next) kind_.resize(id + 1), kind_[id] = workers ? 'w' : 'l';
      level = std::move(next);
    }
    kind_[0] = 'r';
    std::vector<int> children(parent_.size(), 0);
    for (std::size_t id = 1; id < parent_.size(); ++id) ++children[parent_[id]];
    root_ = std::make_unique<Root>(shape.total, children[0], shape.guided_floor);
    leaders_.resize(parent_.size());
    workers_.resize(parent_.size());
    for (std::size_t id = 1; id < parent_.size(); ++id) {
      if (kind_[id] == 'l')
        leaders_[id] = std::make_unique<Leader>(parent_[id], children[id], shape.leader_want,
                                                shape.leader_low);
      else
        workers_[id] = std::make_unique<Worker>(parent_[id], shape.chunk);
    }
  }

  /// Runs to the end: each step delivers a message, lets a worker (or the root's own worker) take
  /// a chunk, or starts a machine; `stop_at` (a step number) and `stop_ids` stop some on the way.
  void run(std::size_t stop_at = SIZE_MAX, std::vector<int> stop_ids = {}) {
    std::vector<int> unstarted;
    for (std::size_t id = 1; id < parent_.size(); ++id) unstarted.push_back(static_cast<int>(id));
    for (std::size_t step = 0;; ++step) {
      ASSERT_LT(step, 10'000'000u) << "no end in sight";
      if (step >= stop_at && !stop_ids.empty()) {
        stop(stop_ids.back());
        stop_ids.pop_back();
      }
      std::vector<int> takers;
      for (std::size_t id = 1; id < parent_.size(); ++id)
        if (workers_[id] && !workers_[id]->waiting() && !workers_[id]->finished() &&
            !workers_[id]->stopped())
          takers.push_back(static_cast<int>(id));
      const bool root_can = !root_->stopped() && root_->handed() < shape_.total;
      const std::size_t choices =
          wire_.size() + takers.size() + unstarted.size() + (root_can ? 1 : 0);
      if (choices == 0) break;
      std::size_t pick = std::uniform_int_distribution<std::size_t>(0, choices - 1)(rng_);
      if (pick < wire_.size()) {
        std::swap(wire_[pick], wire_.back());
        const auto [to, message] = wire_.back();
        wire_.pop_back();
        deliver(to, message);
        continue;
      }
      pick -= wire_.size();
      if (pick < takers.size()) {
        Outbox out;
        auto& w = *workers_[takers[pick]];
        if (const auto r = w.take(out)) ran(*r);
        send(takers[pick], out);
        continue;
      }
      pick -= takers.size();
      if (pick < unstarted.size()) {
        std::swap(unstarted[pick], unstarted.back());
        const int id = unstarted.back();
        unstarted.pop_back();
        Outbox out;
        if (leaders_[id])
          leaders_[id]->start(out);
        else
          workers_[id]->start(out);
        send(id, out);
        continue;
      }
      if (const auto r = root_->take(shape_.chunk)) ran(*r);
    }
  }

  void stop(int id) {
    Outbox out;
    if (id == 0)
      root_->stop(out);
    else if (leaders_[id])
      leaders_[id]->stop(out);
    else
      workers_[id]->stop(out);
    send(id, out);
  }

  /// Checks the end state: everything finished, no id run twice, the handed-out ids all run or
  /// counted abandoned; without a stop, every id run.
  void check(bool stopped) const {
    EXPECT_TRUE(root_->finished());
    TaskId abandoned = 0;
    for (std::size_t id = 1; id < parent_.size(); ++id) {
      if (leaders_[id]) {
        EXPECT_TRUE(leaders_[id]->finished()) << "leader " << id;
        EXPECT_EQ(leaders_[id]->queued(), 0u) << "leader " << id;
        abandoned += leaders_[id]->abandoned();
      } else {
        EXPECT_TRUE(workers_[id]->finished()) << "worker " << id;
        abandoned += workers_[id]->abandoned();
      }
    }
    TaskId once = 0;
    for (TaskId id = 0; id < shape_.total; ++id) {
      ASSERT_LE(runs_[id], 1) << "id " << id << " ran twice";
      once += runs_[id];
    }
    EXPECT_EQ(once + abandoned, root_->handed());
    if (!stopped) {
      EXPECT_EQ(once, shape_.total);
      EXPECT_EQ(abandoned, 0u);
    }
  }

  std::size_t nodes() const { return parent_.size(); }

 private:
  void ran(Range r) {
    ASSERT_LE(r.end, shape_.total);
    for (TaskId id = r.begin; id < r.end; ++id) ++runs_[id];
  }
  void send(int from, Outbox& out) {
    for (auto m : out) {
      const int to = m.peer;
      // Machines talk only along the tree's edges.
      ASSERT_TRUE(to == parent_[from] || parent_[to] == from);
      m.peer = from;
      wire_.push_back({to, m});
    }
    out.clear();
  }
  void deliver(int to, const Message& m) {
    Outbox out;
    if (to == 0)
      root_->on_message(m, out);
    else if (leaders_[to])
      leaders_[to]->on_message(m, out);
    else
      workers_[to]->on_message(m, out);
    send(to, out);
  }

  std::mt19937_64 rng_;
  Shape shape_;
  std::vector<int> runs_;
  std::vector<int> parent_;
  std::vector<char> kind_{'r'};
  std::unique_ptr<Root> root_;
  std::vector<std::unique_ptr<Leader>> leaders_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::pair<int, Message>> wire_;
};

Tree::Shape random_shape(std::mt19937_64& rng, int levels) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Tree::Shape s;
  s.total = static_cast<TaskId>(pick(0, 400));
  s.chunk = static_cast<TaskId>(pick(1, 9));
  for (int l = 0; l < levels; ++l) s.fan_out.push_back(pick(1, levels == 1 ? 8 : 4));
  s.leader_want = static_cast<TaskId>(pick(1, 40));
  s.leader_low = static_cast<TaskId>(pick(0, 40));
  s.guided_floor = pick(0, 1) ? s.chunk : 0;
  return s;
}

std::string describe(const Tree::Shape& s, std::uint64_t seed) {
  std::string fan;
  for (int f : s.fan_out) fan += std::to_string(f) + " ";
  return "seed " + std::to_string(seed) + ": total " + std::to_string(s.total) + ", chunk " +
         std::to_string(s.chunk) + ", fan-out " + fan + ", leader want " +
         std::to_string(s.leader_want) + " low " + std::to_string(s.leader_low) +
         ", guided floor " + std::to_string(s.guided_floor);
}

class Levels : public ::testing::TestWithParam<int> {};

TEST_P(Levels, EveryIdRunsExactlyOnceInAnyDeliveryOrder) {
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    std::mt19937_64 rng(seed * 7919 + GetParam());
    const auto shape = random_shape(rng, GetParam());
    SCOPED_TRACE(describe(shape, seed));
    Tree tree(shape, seed);
    tree.run();
    tree.check(false);
    if (HasFailure()) return;
  }
}

TEST_P(Levels, StopInTheMiddleCountsWhatWasAbandoned) {
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    std::mt19937_64 rng(seed * 104729 + GetParam());
    auto shape = random_shape(rng, GetParam());
    shape.total = static_cast<TaskId>(std::uniform_int_distribution<int>(50, 400)(rng));
    SCOPED_TRACE(describe(shape, seed));
    Tree tree(shape, seed);
    // Half the runs stop everyone in a random order (the stop relay), the others one machine.
    std::vector<int> ids;
    for (int id = 0; id < static_cast<int>(tree.nodes()); ++id) ids.push_back(id);
    std::shuffle(ids.begin(), ids.end(), rng);
    if (seed % 2 == 1) ids.resize(1);
    const auto stop_at = std::uniform_int_distribution<std::size_t>(0, 300)(rng);
    tree.run(stop_at, ids);
    tree.check(true);
    if (HasFailure()) return;
  }
}

INSTANTIATE_TEST_SUITE_P(Dispatch, Levels, ::testing::Values(1, 2, 3));

TEST(DispatchTree, NothingToHandOutEndsEveryMachine) {
  for (int levels = 1; levels <= 3; ++levels) {
    Tree tree({0, 2, std::vector<int>(levels, 3), 4, 2}, levels);
    tree.run();
    tree.check(false);
  }
}

TEST(DispatchTree, MoreWorkersThanTasks) {
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    Tree tree({3, 1, {4, 5}, 2, 1, seed % 2}, seed);
    tree.run();
    tree.check(false);
  }
}

}  // namespace
}  // namespace fanout::dispatch
