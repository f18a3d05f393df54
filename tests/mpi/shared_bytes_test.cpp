// share_bytes under mpirun: rank 0's bytes on every rank, held once per node, with nothing left in
// /dev/shm.
#include "mpi/shared_bytes.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "mpi_test.hpp"

namespace fanout {
namespace {

using test::world;

/// Shared-memory objects this process made that still have a name.
int named_objects_of_this_process() {
  const std::string prefix = "fanout-" + std::to_string(::getpid()) + "-";
  int n = 0;
  std::error_code ignored;
  for (const auto& e : std::filesystem::directory_iterator("/dev/shm", ignored)) {
    if (e.path().filename().string().rfind(prefix, 0) == 0) ++n;
  }
  return n;
}

TEST(ShareBytes, RootsBytesOnEveryRank) {
  auto& w = world();
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "line " + std::to_string(i) + "\n";
  const auto shared = share_bytes(w, w.is_root() ? text : std::string("not rank 0's"));
  EXPECT_EQ(shared->view(), text);
  // One copy per node wherever a node has more than one rank.
  EXPECT_EQ(shared->node_shared(), w.size() > 1);
  EXPECT_EQ(named_objects_of_this_process(), 0);
}

TEST(ShareBytes, EmptyAndAgain) {
  auto& w = world();
  const auto empty = share_bytes(w, std::string());
  EXPECT_EQ(empty->view(), "");
  // Ranks may drop their copies at different times: release is local.
  std::shared_ptr<const SharedBytes> kept;
  if (w.rank() % 2 == 0) kept = empty;
  const auto second = share_bytes(w, w.is_root() ? std::string("abc\0def", 7) : std::string());
  EXPECT_EQ(second->view(), std::string_view("abc\0def", 7));
}

TEST(ShareBytes, FilledInPlaceOnRankZeroOnly) {
  auto& w = world();
  int filled = 0;
  const auto shared = share_bytes(w, w.is_root() ? 5 : 99, [&](char* at) {
    ++filled;
    std::memcpy(at, "hello", 5);
  });
  EXPECT_EQ(shared->view(), "hello");
  EXPECT_EQ(filled, w.is_root() ? 1 : 0);
}

}  // namespace
}  // namespace fanout
