// leader_layout_from_env: the two variables read, every bad value refused with its name.
#include "mpi/leader_layout.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

LeaderLayout read(const std::map<std::string, std::string>& env) {
  return leader_layout_from_env([&](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

TEST(LeaderLayout, UnsetIsAutomaticOverTheNodesMpiReports) {
  const auto l = read({});
  EXPECT_EQ(l.mode, LeaderLayout::Mode::automatic);
  EXPECT_EQ(l.node_size, 0);
  EXPECT_EQ(l.fanout, 64);
}

TEST(LeaderLayout, ReadsBothVariables) {
  EXPECT_EQ(read({{"FANOUT_DISPATCH_LEADERS", "1"}}).mode, LeaderLayout::Mode::always);
  EXPECT_EQ(read({{"FANOUT_DISPATCH_LEADERS", "0"}}).mode, LeaderLayout::Mode::never);
  EXPECT_EQ(read({{"FANOUT_DISPATCH_LEADERS", "auto"}}).mode, LeaderLayout::Mode::automatic);
  EXPECT_EQ(read({{"FANOUT_DISPATCH_NODE_SIZE", "3"}}).node_size, 3);
  EXPECT_EQ(read({{"FANOUT_DISPATCH_NODE_SIZE", "0"}}).node_size, 0);
  EXPECT_EQ(read({{"FANOUT_DISPATCH_FANOUT", "2"}}).fanout, 2);
}

TEST(LeaderLayout, BadValuesNameTheVariable) {
  for (const auto& [name, value] :
       std::map<std::string, std::string>{{"FANOUT_DISPATCH_LEADERS", "yes"},
                                          {"FANOUT_DISPATCH_NODE_SIZE", "-1"},
                                          {"FANOUT_DISPATCH_FANOUT", "1"}}) {
    try {
      read({{name, value}});
      ADD_FAILURE() << name << "=" << value << " accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(name + "=" + value + ": must be"), std::string::npos)
          << e.what();
    }
  }
  EXPECT_THROW(read({{"FANOUT_DISPATCH_NODE_SIZE", "2x"}}), ConfigError);
  EXPECT_THROW(read({{"FANOUT_DISPATCH_FANOUT", ""}}), ConfigError);
}

}  // namespace
}  // namespace fanout
