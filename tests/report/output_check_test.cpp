// Output paths are refused up front when they are not regular files, cannot be created, or are
// the same file as an input or another output.
#include "report/output_check.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../temp_dir.hpp"
#include "cli/config_error.hpp"

namespace fanout {
namespace {

namespace fs = std::filesystem;

class OutputCheckTest : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  void touch(const std::string& name) const { std::ofstream(dir_ / name) << "x"; }
  static std::string error_of(const std::string& path, const std::string& flag) {
    try {
      check_output_path(path, flag);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
  static std::string distinct_error(const std::vector<NamedPath>& outputs,
                                    const std::vector<NamedPath>& inputs) {
    try {
      check_distinct_paths(outputs, inputs);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  test::ScratchDir scratch_;
  const fs::path& dir_ = scratch_.path();
};

TEST_F(OutputCheckTest, AcceptsNewAndRegularFilesLeavingNothing) {
  EXPECT_EQ(error_of(path("new.json"), "--json"), "");
  touch("old.json");
  EXPECT_EQ(error_of(path("old.json"), "--json"), "");
  const fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  EXPECT_EQ(error_of("bare-name.csv", "--csv"), "");  // the current directory
  fs::current_path(cwd);
  EXPECT_EQ(entries(), std::vector<std::string>{"old.json"});  // the probe file is gone
}

TEST_F(OutputCheckTest, MissingDirectoryIsNamed) {
  const fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  const std::string msg = error_of("out/x.json", "--json");
  fs::current_path(cwd);
  EXPECT_EQ(msg, "--json out/x.json: directory 'out' does not exist");
}

TEST_F(OutputCheckTest, RefusesWhatIsNotARegularFile) {
  EXPECT_EQ(error_of(dir_.string(), "--csv"),
            "--csv " + dir_.string() +
                ": is a directory; give the name of a regular file to write (it is created, or "
                "replaced whole)");
  ASSERT_EQ(::mkfifo(path("fifo").c_str(), 0644), 0);
  EXPECT_NE(error_of(path("fifo"), "--json").find(": is a FIFO (named pipe); "), std::string::npos);
  ASSERT_EQ(::mknod(path("socket").c_str(), S_IFSOCK | 0644, 0), 0);
  EXPECT_NE(error_of(path("socket"), "--trace").find(": is a socket; "), std::string::npos);
  touch("file");
  EXPECT_EQ(error_of(path("file") + "/x.json", "--json"),
            "--json " + path("file") + "/x.json: '" + path("file") +
                "' is a regular file, not a directory");
  EXPECT_EQ(error_of("", "--json"), "--json: needs a file name");
}

TEST_F(OutputCheckTest, RefusesADeviceWithoutWritingIt) {
  // The system's /dev/null, only looked at.
  EXPECT_NE(error_of("/dev/null", "--json").find("/dev/null: is a character device"),
            std::string::npos);
  const std::string node = path("null");
  if (::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) GTEST_SKIP() << "mknod needs root";
  EXPECT_NE(error_of(node, "--csv").find("is a character device"), std::string::npos);
}

TEST_F(OutputCheckTest, ASymlinkMeansTheFileItPointsTo) {
  touch("target.json");
  fs::create_symlink("target.json", dir_ / "link.json");
  EXPECT_EQ(error_of(path("link.json"), "--json"), "");
  ASSERT_EQ(::mkfifo(path("fifo").c_str(), 0644), 0);
  fs::create_symlink("fifo", dir_ / "to-fifo");
  EXPECT_NE(error_of(path("to-fifo"), "--json").find("points to " + path("fifo") + ", a FIFO"),
            std::string::npos);
  fs::create_symlink("nowhere/x", dir_ / "dangling");
  EXPECT_NE(error_of(path("dangling"), "--json")
                .find("is a symbolic link to a file that cannot be reached"),
            std::string::npos);
}

TEST_F(OutputCheckTest, ProcCannotTakeFiles) {
  // access(2) says yes to root here; creating a file does not.
  const std::string msg = error_of("/proc/fanout-x.json", "--json");
  EXPECT_NE(msg.find("--json /proc/fanout-x.json: cannot create a file in directory '/proc'"),
            std::string::npos)
      << msg;
}

TEST_F(OutputCheckTest, ReadOnlyDirectoryIsNamed) {
  if (::geteuid() == 0) GTEST_SKIP() << "root may write anywhere";
  fs::create_directory(dir_ / "ro");
  ::chmod((dir_ / "ro").c_str(), 0555);
  EXPECT_NE(error_of(path("ro/x.json"), "--json").find("cannot create a file in directory"),
            std::string::npos);
  ::chmod((dir_ / "ro").c_str(), 0755);
}

TEST_F(OutputCheckTest, OutputDirectories) {
  std::string msg;
  try {
    touch("file");
    check_output_dir(path("file"), "--io.output");
  } catch (const ConfigError& e) {
    msg = e.what();
  }
  EXPECT_EQ(msg, "--io.output " + path("file") +
                     ": is a regular file; give a directory (created if missing) for the files");
  EXPECT_NO_THROW(check_output_dir(path("new"), "--io.output"));
  EXPECT_NO_THROW(check_output_dir(path("new/"), "--io.output"));
  EXPECT_NO_THROW(check_output_dir(dir_.string(), "--io.output"));
  EXPECT_THROW(check_output_dir(path("a/b"), "--io.output"), ConfigError);
  EXPECT_THROW(check_output_dir("/proc/fanout-bodies", "--io.output"), ConfigError);
  EXPECT_THROW(check_output_dir("/proc", "--io.output"), ConfigError);
}

TEST_F(OutputCheckTest, AnOutputIsNeverAnInput) {
  touch("job.ini");
  EXPECT_EQ(distinct_error({{path("job.ini"), "--json"}}, {{path("job.ini"), "job file"}}),
            "--json " + path("job.ini") + ": is the same file as the job file " + path("job.ini") +
                ", which it would overwrite; give every output a file of its own");
  // Another spelling, a hard link and a symlink are the same file.
  fs::create_hard_link(dir_ / "job.ini", dir_ / "hard.ini");
  fs::create_symlink("job.ini", dir_ / "soft.ini");
  for (const std::string& alias : {path("./job.ini"), path("hard.ini"), path("soft.ini")}) {
    EXPECT_NE(distinct_error({{alias, "--csv"}}, {{path("job.ini"), "job file"}}), "") << alias;
  }
  EXPECT_EQ(distinct_error({{path("out.json"), "--json"}}, {{path("job.ini"), "job file"}}), "");
}

TEST_F(OutputCheckTest, TwoOutputsAreNeverOneFile) {
  // Neither exists yet: the same name in the same directory is still the same file.
  EXPECT_EQ(distinct_error({{path("same.out"), "--json"}, {path("./same.out"), "--csv"}}, {}),
            "--csv " + path("./same.out") + ": is the same file as --json " + path("same.out") +
                "; give every output a file of its own");
  EXPECT_EQ(
      distinct_error({{path("a.out"), "--json"}, {path("b.out"), "--csv"}, {"", "--trace"}}, {}),
      "");
}

}  // namespace
}  // namespace fanout
