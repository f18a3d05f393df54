// place(): roles in the dispatch tree from literal node and participation lists.
#include "dispatch/tree.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace fanout::dispatch {
namespace {

TEST(DispatchPlace, FlatEveryParticipantAsksTheRoot) {
  const std::vector<int> node{0, 0, 1, 1};
  const std::vector<int> part{1, 1, 1, 0};
  EXPECT_EQ(place(0, node, part, false).children, 2);
  for (int p = 1; p < 4; ++p) {
    EXPECT_FALSE(place(p, node, part, false).leads);
    EXPECT_EQ(place(p, node, part, false).parent, 0);
  }
  EXPECT_EQ(place(0, node, part, false).participants, 3);
}

TEST(DispatchPlace, TheLowestParticipantOfEachOtherNodeLeadsIt) {
  // Nodes: {0, 1}, {2, 3, 4} with 2 sitting out, {5}, {6} with nobody taking part.
  const std::vector<int> node{7, 7, 3, 3, 3, 9, 4};
  const std::vector<int> part{1, 1, 0, 1, 1, 1, 0};
  const auto root = place(0, node, part, true);
  EXPECT_EQ(root.children, 3);  // rank 1 of its own node, the leaders 3 and 5
  EXPECT_EQ(place(1, node, part, true).parent, 0);
  EXPECT_FALSE(place(2, node, part, true).leads);
  const auto three = place(3, node, part, true);
  EXPECT_TRUE(three.leads);
  EXPECT_EQ(three.children, 2);
  EXPECT_EQ(three.parent, 3);
  EXPECT_EQ(place(4, node, part, true).parent, 3);
  EXPECT_FALSE(place(4, node, part, true).leads);
  const auto five = place(5, node, part, true);
  EXPECT_TRUE(five.leads);
  EXPECT_EQ(five.children, 1);
  EXPECT_FALSE(place(6, node, part, true).leads);
}

TEST(DispatchPlace, OutOfRange) {
  const std::vector<int> node{0};
  const std::vector<int> part{1};
  EXPECT_THROW(place(1, node, part, true), std::invalid_argument);
  EXPECT_EQ(place(0, node, part, true).children, 0);
}

}  // namespace
}  // namespace fanout::dispatch
