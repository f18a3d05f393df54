// The one capped error collector: distinct by key, first seen first, the rest counted.
#include "exec/error_log.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fanout {
namespace {

TEST(ErrorLog, KeepsFirstDistinctMessagesByKey) {
  ErrorLog log;
  log.add("a", "a: after 201 ms");
  log.add("b", "b: HTTP 404");
  log.add("a", "a: after 202 ms");  // the same error: its key was seen
  EXPECT_EQ(log.messages(), (std::vector<std::string>{"a: after 201 ms", "b: HTTP 404"}));
}

TEST(ErrorLog, CountsTheDistinctErrorsBeyondTheCap) {
  ErrorLog log;
  for (int i = 0; i < 14; ++i) log.add("k" + std::to_string(i), "error " + std::to_string(i));
  log.add("k12", "error 12 again");
  const std::vector<std::string> m = log.messages();
  ASSERT_EQ(m.size(), ErrorLog::kMaxMessages + 1);
  EXPECT_EQ(m.front(), "error 0");
  EXPECT_EQ(m[ErrorLog::kMaxMessages - 1], "error 9");
  EXPECT_EQ(m.back(), "... and 4 other errors");
  log.clear();
  EXPECT_TRUE(log.messages().empty());
}

TEST(ErrorLog, MergeKeepsOrderDropsRepeatsAndCaps) {
  std::vector<std::string> into{"x", "y"};
  ErrorLog::merge_into(into, {"y", "z"});
  EXPECT_EQ(into, (std::vector<std::string>{"x", "y", "z"}));
  std::vector<std::string> many;
  for (int i = 0; i < 20; ++i) many.push_back(std::to_string(i));
  ErrorLog::merge_into(into, many);
  EXPECT_EQ(into.size(), ErrorLog::kMaxMessages);
}

}  // namespace
}  // namespace fanout
