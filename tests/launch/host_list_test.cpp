// Host lists for mpirun: --hosts text and Open MPI hostfiles, and every bad entry named.
#include "launch/host_list.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(HostList, HostsTakeTheirSlotsOrOne) {
  const HostList l = parse_host_list("n1:2,n2,n3:4", "--hosts");
  ASSERT_EQ(l.hosts.size(), 3u);
  EXPECT_EQ(l.hosts[1].host, "n2");
  EXPECT_EQ(l.hosts[1].slots, 1);
  EXPECT_EQ(l.mpirun_hosts(), "n1:2,n2:1,n3:4");
  EXPECT_EQ(l.total_slots(8), 7);
  EXPECT_EQ(l.describe(), "n1 (2 slots), n2 (1 slot), n3 (4 slots)");
  EXPECT_TRUE(l.hostfile.empty());
}

TEST(HostList, BadHostsAreNamed) {
  EXPECT_EQ(error_of([] { parse_host_list("n1:0", "--hosts"); }),
            "--hosts n1:0: 'n1:0': the slots after ':' must be a whole number from 1 to 100000, "
            "e.g. node01:4");
  EXPECT_NE(error_of([] { parse_host_list("n1,,n2", "--hosts"); }).find("'' is not a host name"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_host_list("n1:2,n1:2", "--hosts"); }).find("listed twice"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_host_list("n1;rm", "--hosts"); }).find("is not a host name"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_host_list("n1,", "--hosts"); }).find("expected hosts"),
            std::string::npos);
}

TEST(HostList, HostfileLinesWithAndWithoutSlots) {
  const std::string path =
      write_temp("fanout-hostfile-test",
                 "# the test cluster\nn1 slots=2\n\nn2 slots=4 max_slots=8  # big\nn3\n");
  const HostList l = read_hostfile(path, "--hostfile");
  ASSERT_EQ(l.hosts.size(), 3u);
  EXPECT_EQ(l.hosts[1].slots, 4);
  EXPECT_EQ(l.hosts[2].slots, 0);
  EXPECT_EQ(l.hostfile, path);
  EXPECT_EQ(l.total_slots(2), 8);
  EXPECT_EQ(l.describe(), "n1 (2 slots), n2 (4 slots), n3 (its cores)");
  std::filesystem::remove(path);
}

TEST(HostList, BadHostfilesAreNamedWithTheirLine) {
  const std::string bad = write_temp("fanout-hostfile-bad", "n1 slots=2\nn2 cpus=4\n");
  EXPECT_EQ(
      error_of([&] { read_hostfile(bad, "--hostfile"); }),
      bad + ":2: 'cpus=4': expected slots=N or max_slots=N after the host, N from 1 to 100000");
  const std::string empty = write_temp("fanout-hostfile-empty", "# nothing\n\n");
  EXPECT_EQ(error_of([&] { read_hostfile(empty, "--hostfile"); }),
            "--hostfile " + empty + ": names no host (one host a line, e.g. 'node01 slots=4')");
  EXPECT_EQ(error_of([] { read_hostfile("/nonexistent/hosts", "--hostfile"); }),
            "--hostfile /nonexistent/hosts: cannot be read");
  std::filesystem::remove(bad);
  std::filesystem::remove(empty);
}

}  // namespace
}  // namespace fanout
