// gtest main for tests run under mpirun: every rank runs every test (they are collective), rank 0
// prints the report, other ranks print only their failures, and a failure on any rank fails the
// exit code.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "mpi_test.hpp"

namespace fanout::test {
namespace {

World* g_world = nullptr;

/// On ranks other than 0: silent, except for failed assertions, tagged with the rank.
class FailurePrinter : public testing::EmptyTestEventListener {
 public:
  explicit FailurePrinter(int rank) : rank_(rank) {}
  void OnTestPartResult(const testing::TestPartResult& r) override {
    if (!r.failed()) return;
    std::fprintf(stderr, "[rank %d] %s:%d: Failure\n%s\n", rank_,
                 r.file_name() ? r.file_name() : "?", r.line_number(), r.message());
  }

 private:
  int rank_;
};

}  // namespace

World& world() { return *g_world; }

}  // namespace fanout::test

int main(int argc, char** argv) {
  fanout::World world(&argc, &argv);
  fanout::test::g_world = &world;
  testing::InitGoogleTest(&argc, argv);
  // Tests are collective: every rank must run the same ones in the same order.
  GTEST_FLAG_SET(shuffle, false);
  if (!world.is_root()) {
    auto& listeners = testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
    listeners.Append(new fanout::test::FailurePrinter(world.rank()));
  }
  const int mine = RUN_ALL_TESTS() == 0 ? 0 : 1;
  const int any = world.agree_max(mine);
  if (world.is_root() && any > 0)
    std::fprintf(stderr, "mpi_test: a test failed on at least one rank\n");
  return world.is_root() ? (any > 0 ? 1 : 0) : mine;
}
