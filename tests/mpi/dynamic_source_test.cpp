// DynamicSource under mpirun: two threads per rank pull chunks with random pauses; rank 0 checks
// from the gathered samples that every id ran exactly once.
#include "mpi/dynamic_source.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "mpi/gather.hpp"
#include "mpi/partition.hpp"
#include "mpi_test.hpp"
#include "timing/clock.hpp"

namespace fanout {
namespace {

using test::world;

constexpr int kThreads = 2;

/// Flat, and node leaders over nodes of 2 ranks and of 1 rank (each rank leading itself), so that
/// one machine under mpirun -np 2 or 3 runs leaders with remote ranks and with only their own;
/// and nodes of 1 rank with leaders in groups of 2, which at -np 4 (3 node leaders) puts ranks 1
/// and 2 in a group led by rank 1 and rank 3 alone in another.
const std::vector<LeaderLayout> kLayouts = {{LeaderLayout::Mode::never, 0},
                                            {LeaderLayout::Mode::always, 2},
                                            {LeaderLayout::Mode::always, 1},
                                            {LeaderLayout::Mode::always, 1, 2}};

std::string describe(const LeaderLayout& layout) {
  return layout.mode == LeaderLayout::Mode::never
             ? "flat"
             : "leaders over nodes of " + std::to_string(layout.node_size) + " in groups of " +
                   std::to_string(layout.fanout);
}

/// Pulls from `source` with kThreads threads until it runs dry, sleeping 0-50 us per task so that
/// ranks and threads interleave differently on every run; one Sample per task. With `stop`, the
/// first thread to take chunk number `stop_after` sets it (as a signal handler would) and runs it.
std::vector<Sample> pull_all(DynamicSource& source, int rank, std::uint64_t max_chunks = ~0ull,
                             StopFlag* stop = nullptr, std::uint64_t stop_after = 0) {
  std::vector<std::vector<Sample>> per_thread(kThreads);
  std::vector<std::thread> threads;
  std::atomic<std::uint64_t> chunks{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(rank * 1000 + t));
      std::uniform_int_distribution<int> pause_us(0, 50);
      for (;;) {
        const std::uint64_t taken = chunks.fetch_add(1);
        if (taken >= max_chunks) break;
        if (stop && taken == stop_after) stop->request(StopReason::signal(15));
        const auto r = source.next();
        if (!r) break;
        for (TaskId id = r->begin; id < r->end; ++id) {
          Sample s;
          s.id = id;
          s.rank = rank;
          s.worker = t;
          per_thread[static_cast<std::size_t>(t)].push_back(s);
          std::this_thread::sleep_for(std::chrono::microseconds(pause_us(rng)));
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<Sample> all;
  for (auto& v : per_thread) all.insert(all.end(), v.begin(), v.end());
  return all;
}

/// Every rank's samples at rank 0, sorted by id, how many each rank ran, and the ids the ranks
/// were handed but dropped (abandoned), summed.
struct Gathered {
  std::vector<Sample> samples;
  std::vector<std::uint64_t> per_rank;
  double abandoned = 0;
};

Gathered gather(World& w, const std::vector<Sample>& mine, const DynamicSource& source) {
  const std::uint64_t count = mine.size();
  Gathered g;
  g.per_rank = gather_values(w, count);
  for (TaskId a : gather_values(w, source.abandoned())) g.abandoned += static_cast<double>(a);
  // The records' own route to rank 0: spooled on each rank, streamed in rounds.
  SampleSpool spool;
  spool.append(mine);
  stream_samples(w, spool, [&](std::span<const Sample> batch) {
    g.samples.insert(g.samples.end(), batch.begin(), batch.end());
  });
  std::sort(g.samples.begin(), g.samples.end(),
            [](const Sample& a, const Sample& b) { return a.id < b.id; });
  return g;
}

struct Case {
  TaskId total;
  TaskId chunk;  ///< 0: auto_chunk over all workers
};

class DynamicSourceCover : public testing::TestWithParam<Case> {};

TEST_P(DynamicSourceCover, EveryIdExactlyOnce) {
  auto& w = world();
  const TaskId total = GetParam().total;
  const TaskId chunk = GetParam().chunk ? GetParam().chunk : auto_chunk(total, w.size() * kThreads);
  for (const auto& layout : kLayouts) {
    SCOPED_TRACE(describe(layout));
    DynamicSource source(w, total, chunk, true, nullptr, layout);
    // Leaders are the lowest rank of each node but rank 0's.
    const bool leads = layout.mode == LeaderLayout::Mode::always && w.rank() != 0 &&
                       w.rank() % layout.node_size == 0;
    EXPECT_EQ(source.leads(), leads);
    auto mine = pull_all(source, w.rank());
    source.finish();
    EXPECT_EQ(source.abandoned(), 0u);
    const auto rep = gather(w, std::move(mine), source);
    if (!w.is_root()) {
      EXPECT_TRUE(rep.samples.empty());
      EXPECT_TRUE(rep.per_rank.empty());
      EXPECT_EQ(source.load().requests, 0u) << "only rank 0 dispatches";
      continue;
    }
    ASSERT_EQ(rep.samples.size(), total);
    std::uint64_t remote = 0;
    for (int r = 1; r < w.size(); ++r) remote += rep.per_rank[static_cast<std::size_t>(r)];
    const auto others = static_cast<std::uint64_t>(w.size() - 1);
    if (layout.mode == LeaderLayout::Mode::never) {
      // Rank 0 answered each remote chunk (at most `chunk` tasks, at least one) and each remote
      // rank's last request ("no more").
      EXPECT_GE(source.load().requests, (remote + chunk - 1) / chunk + others);
      EXPECT_LE(source.load().requests, remote + others);
    } else {
      // Through leaders rank 0 answers fewer requests: a leader's take a node round at once.
      EXPECT_LE(source.load().requests, remote + others);
    }
    EXPECT_GE(source.load().busy_s, 0.0);
    for (TaskId i = 0; i < total; ++i)
      ASSERT_EQ(rep.samples[i].id, i) << "id " << i << " missing or twice";
    ASSERT_EQ(static_cast<int>(rep.per_rank.size()), w.size());
    std::uint64_t counted = 0;
    for (int r = 0; r < w.size(); ++r) {
      counted += rep.per_rank[static_cast<std::size_t>(r)];
      const auto ran_here = std::count_if(rep.samples.begin(), rep.samples.end(),
                                          [r](const Sample& s) { return s.rank == r; });
      EXPECT_EQ(static_cast<std::uint64_t>(ran_here), rep.per_rank[static_cast<std::size_t>(r)]);
    }
    EXPECT_EQ(counted, total);
  }
}

INSTANTIATE_TEST_SUITE_P(Totals, DynamicSourceCover,
                         testing::Values(Case{0, 1}, Case{1, 1}, Case{2, 1}, Case{5, 2},
                                         Case{200, 3}, Case{1000, 0}, Case{997, 1000}),
                         [](const auto& info) {
                           return "total" + std::to_string(info.param.total) + "_chunk" +
                                  std::to_string(info.param.chunk);
                         });

// Ranks that do not participate never call next(): rank 0 (or their leader) does not wait for
// them, and the others still get every id once.
TEST(DynamicSource, NonParticipatingRanks) {
  auto& w = world();
  for (const auto& layout : kLayouts) {
    SCOPED_TRACE(describe(layout));
    for (int absent : {0, 1, 2}) {
      if (absent >= w.size() || w.size() == 1) continue;  // someone must participate
      const TaskId total = 101;
      DynamicSource source(w, total, 4, w.rank() != absent, nullptr, layout);
      auto mine = w.rank() != absent ? pull_all(source, w.rank()) : std::vector<Sample>{};
      source.finish();
      const auto rep = gather(w, std::move(mine), source);
      if (!w.is_root()) continue;
      ASSERT_EQ(rep.samples.size(), total) << "absent rank " << absent;
      for (TaskId i = 0; i < total; ++i) ASSERT_EQ(rep.samples[i].id, i);
      for (const auto& s : rep.samples) EXPECT_NE(s.rank, absent);
    }
  }
}

// A rank that stops early (its executor failed) tells its parent, which then does not wait for
// it; the ids it held are counted as abandoned and nothing runs twice.
TEST(DynamicSource, EarlyFinishIsAbandonedNotDuplicated) {
  auto& w = world();
  for (const auto& layout : kLayouts) {
    SCOPED_TRACE(describe(layout));
    // Enough that the others are still at work when the quitter's second chunk comes.
    const TaskId total = 3000;
    const int quitter = w.size() - 1;
    DynamicSource source(w, total, 5, true, nullptr, layout);
    auto mine = pull_all(source, w.rank(), w.rank() == quitter ? 1 : ~0ull);
    source.finish();
    const auto rep = gather(w, std::move(mine), source);
    const double abandoned = rep.abandoned;
    if (!w.is_root()) continue;
    for (std::size_t i = 1; i < rep.samples.size(); ++i)
      ASSERT_LT(rep.samples[i - 1].id, rep.samples[i].id);
    if (w.size() == 1) {
      EXPECT_EQ(rep.samples.size(),
                5u);  // rank 0 alone stops after one chunk; the rest stays untaken
    } else {
      EXPECT_GT(abandoned, 0.0);  // the quitter's prefetched chunk (and its node's buffer)
      EXPECT_EQ(static_cast<double>(rep.samples.size()) + abandoned, static_cast<double>(total));
    }
  }
}

/// Every id at most once, in order.
void expect_no_duplicates(const Gathered& rep) {
  for (std::size_t i = 1; i < rep.samples.size(); ++i)
    ASSERT_LT(rep.samples[i - 1].id, rep.samples[i].id);
}

// Rank 0 stopping (its signal flag set) ends the hand-out for every rank: the dispatcher answers
// "no more", nobody hangs, and what ran plus what was handed out but dropped never exceeds total.
TEST(DynamicSource, RootStopEndsTheHandOutEverywhere) {
  auto& w = world();
  for (const auto& layout : kLayouts) {
    SCOPED_TRACE(describe(layout));
    const TaskId total = 3000;
    StopFlag stop;
    DynamicSource source(w, total, 2, true, &stop, layout);
    auto mine = pull_all(source, w.rank(), ~0ull, w.is_root() ? &stop : nullptr, 3);
    source.finish();
    const auto rep = gather(w, std::move(mine), source);
    const double abandoned = rep.abandoned;
    if (!w.is_root()) continue;
    expect_no_duplicates(rep);
    EXPECT_LT(rep.samples.size(), total / 2) << "the hand-out went on after rank 0 stopped";
    EXPECT_LE(static_cast<double>(rep.samples.size()) + abandoned, static_cast<double>(total));
  }
}

// A stop on one other rank only (a user's kill -TERM of one pid): that rank quits, its parent
// stops waiting for it, and the ranks not signalled take the rest, so the repetition still ends.
// The last rank, and rank 2: under leaders a node's leader (over nodes of 2 at 4 ranks, with a
// child still running, which its leader then tells "no more"); what the leader held is abandoned.
TEST(DynamicSource, OneRankStoppingLeavesTheRestToTheOthers) {
  auto& w = world();
  if (w.size() == 1) GTEST_SKIP() << "needs a rank besides rank 0";
  for (const auto& layout : kLayouts) {
    for (const int stopped : {w.size() - 1, 2}) {
      if (stopped >= w.size() || (stopped == 2 && w.size() - 1 == 2)) continue;
      SCOPED_TRACE(describe(layout) + ", rank " + std::to_string(stopped) + " stopped");
      const TaskId total = 400;
      StopFlag stop;
      DynamicSource source(w, total, 4, true, &stop, layout);
      auto mine = pull_all(source, w.rank(), ~0ull, w.rank() == stopped ? &stop : nullptr, 1);
      source.finish();
      const auto rep = gather(w, std::move(mine), source);
      const double abandoned = rep.abandoned;
      if (!w.is_root()) continue;
      expect_no_duplicates(rep);
      EXPECT_EQ(static_cast<double>(rep.samples.size()) + abandoned, static_cast<double>(total));
      const auto on_stopped = std::count_if(rep.samples.begin(), rep.samples.end(),
                                            [&](const Sample& s) { return s.rank == stopped; });
      EXPECT_LE(on_stopped, 4) << "the stopped rank ran at most the chunk it held";
    }
  }
}

}  // namespace
}  // namespace fanout
