// Units as users type them: durations and sizes, and what is rejected.
#include "cli/units.hpp"

#include <gtest/gtest.h>

namespace fanout {
namespace {

TEST(Units, Durations) {
  EXPECT_DOUBLE_EQ(*parse_duration("250ms"), 0.25);
  EXPECT_DOUBLE_EQ(*parse_duration("1.5s"), 1.5);
  EXPECT_DOUBLE_EQ(*parse_duration("2"), 2.0);
  EXPECT_DOUBLE_EQ(*parse_duration("100us"), 100e-6);
  EXPECT_DOUBLE_EQ(*parse_duration("2m"), 120.0);
  EXPECT_DOUBLE_EQ(*parse_duration(" 3 s "), 3.0);
  EXPECT_FALSE(parse_duration("-1s"));
  EXPECT_FALSE(parse_duration("fast"));
  EXPECT_FALSE(parse_duration("10 parsecs"));
  EXPECT_FALSE(parse_duration(""));
}

TEST(Units, Bytes) {
  EXPECT_EQ(*parse_bytes("4KiB"), 4096u);
  EXPECT_EQ(*parse_bytes("32MiB"), 32u << 20);
  EXPECT_EQ(*parse_bytes("1kB"), 1000u);
  EXPECT_EQ(*parse_bytes("1GB"), 1000000000u);
  EXPECT_EQ(*parse_bytes("512"), 512u);
  EXPECT_EQ(*parse_bytes("512B"), 512u);
  EXPECT_EQ(*parse_bytes("1.5KiB"), 1536u);
  EXPECT_FALSE(parse_bytes("1.3B"));
  EXPECT_FALSE(parse_bytes("-4KiB"));
  EXPECT_FALSE(parse_bytes("4 furlongs"));
}

TEST(Units, IntegersAndBooleans) {
  EXPECT_EQ(*parse_integer("30"), 30);
  EXPECT_EQ(*parse_integer("-3"), -3);
  EXPECT_FALSE(parse_integer("3.5"));
  EXPECT_FALSE(parse_integer("30x"));
  EXPECT_FALSE(parse_integer("99999999999999999999999"));
  EXPECT_TRUE(*parse_bool("yes"));
  EXPECT_FALSE(*parse_bool("off"));
  EXPECT_FALSE(parse_bool("maybe"));
}

}  // namespace
}  // namespace fanout
