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

// Slurm's six forms of a time limit (sbatch --time).
TEST(Units, TimeLimitsInEverySlurmForm) {
  EXPECT_EQ(parse_time_limit("90"), 90 * 60);        // minutes
  EXPECT_EQ(parse_time_limit("5:30"), 5 * 60 + 30);  // minutes:seconds
  EXPECT_EQ(parse_time_limit("00:30:00"), 1800);     // hours:minutes:seconds
  EXPECT_EQ(parse_time_limit("48:00:00"), 48 * 3600);
  EXPECT_EQ(parse_time_limit("0-12"), 12 * 3600);  // days-hours
  EXPECT_EQ(parse_time_limit("1-12"), 86400 + 12 * 3600);
  EXPECT_EQ(parse_time_limit("0-01:30"), 3600 + 30 * 60);  // days-hours:minutes
  EXPECT_EQ(parse_time_limit("2-00:05"), 2 * 86400 + 5 * 60);
  EXPECT_EQ(parse_time_limit("1-02:03:04"), 86400 + 2 * 3600 + 3 * 60 + 4);  // days-h:m:s
  EXPECT_EQ(parse_time_limit("0-00:00:30"), 30);
  for (const char* bad : {"", "0", "00:00:00", "0-0", "1:60:00", "00:00:61", "0-24", "0-01:60",
                          "a:b", "1:2:3:4", "1-2:3:4:5", "-5", "1-", "x-1"}) {
    EXPECT_FALSE(parse_time_limit(bad)) << bad;
  }
}

TEST(Units, Fractions) {
  EXPECT_DOUBLE_EQ(*parse_fraction("0.8"), 0.8);
  EXPECT_DOUBLE_EQ(*parse_fraction("80%"), 0.8);
  EXPECT_FALSE(parse_fraction("%"));
  EXPECT_FALSE(parse_fraction("0.8x"));
  EXPECT_FALSE(parse_fraction("inf"));
}

}  // namespace
}  // namespace fanout
