// The error classes: every class named, the count derived from the enum, and counts indexed safely.
#include "timing/record.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace fanout {
namespace {

TEST(ErrorClass, EveryClassHasItsOwnName) {
  std::set<std::string> names;
  for (std::size_t c = 0; c < kErrorClassCount; ++c) {
    names.insert(std::string(to_string(static_cast<ErrorClass>(c))));
  }
  EXPECT_EQ(names.size(), kErrorClassCount);
  EXPECT_EQ(to_string(ErrorClass::none), "ok");
  EXPECT_EQ(to_string(kLastErrorClass), "name_clash");
}

TEST(ErrorCounts, AClassPastTheLastCountsAsOther) {
  ErrorCounts counts;
  ++counts[ErrorClass::timeout];
  const auto corrupt = static_cast<ErrorClass>(200);
  EXPECT_FALSE(known(corrupt));
  EXPECT_EQ(to_string(corrupt), "other");
  ++counts[corrupt];
  EXPECT_EQ(counts[ErrorClass::other], 1u);
  EXPECT_EQ(counts[ErrorClass::timeout], 1u);
  std::uint64_t total = 0;
  for (std::uint64_t n : counts) total += n;
  EXPECT_EQ(total, 2u);
}

}  // namespace
}  // namespace fanout
