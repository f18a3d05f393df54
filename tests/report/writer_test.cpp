// write_file_atomically leaves whole files and no temporaries; check_output_path names the problem.
#include "report/writer.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

namespace fs = std::filesystem;

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "fanout-writer-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    ::chmod(dir_.c_str(), 0755);
    fs::remove_all(dir_);
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static std::string config_error(const std::string& path, const std::string& flag) {
    try {
      check_output_path(path, flag);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(WriterTest, WritesAndReplacesWholeFilesLeavingNoTemporaries) {
  const fs::path file = dir_ / "report.json";
  write_file_atomically(file.string(), "first\n");
  EXPECT_EQ(read(file), "first\n");
  write_file_atomically(file.string(), std::string(1 << 20, 'x'));
  EXPECT_EQ(read(file), std::string(1 << 20, 'x'));
  EXPECT_EQ(entries(), std::vector<std::string>{"report.json"});
}

TEST_F(WriterTest, NewFilesFollowTheUmask) {
  const mode_t old = ::umask(022);
  write_file_atomically((dir_ / "a.csv").string(), "x");
  ::umask(old);
  EXPECT_EQ(fs::status(dir_ / "a.csv").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
}

TEST_F(WriterTest, FailureThrowsAndLeavesNothing) {
  EXPECT_THROW(write_file_atomically((dir_ / "missing" / "x.json").string(), "x"), std::system_error);
  // Renaming onto a directory fails after the temporary was written: it must be cleaned up.
  fs::create_directory(dir_ / "taken");
  EXPECT_THROW(write_file_atomically((dir_ / "taken").string(), "x"), std::system_error);
  EXPECT_EQ(entries(), std::vector<std::string>{"taken"});
}

TEST_F(WriterTest, AcceptsWritableLocations) {
  EXPECT_NO_THROW(check_output_path((dir_ / "new.json").string(), "--json"));
  write_file_atomically((dir_ / "old.json").string(), "x");
  EXPECT_NO_THROW(check_output_path((dir_ / "old.json").string(), "--json"));
  const fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  EXPECT_NO_THROW(check_output_path("bare-name.csv", "--csv"));  // the current directory
  fs::current_path(cwd);
}

TEST_F(WriterTest, MissingDirectoryIsNamed) {
  const fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  const std::string msg = config_error("out/x.json", "--json");
  fs::current_path(cwd);
  EXPECT_EQ(msg, "--json out/x.json: directory 'out' does not exist");
}

TEST_F(WriterTest, OtherMistakesAreNamed) {
  EXPECT_EQ(config_error(dir_.string(), "--csv"),
            "--csv " + dir_.string() + ": is a directory; give the name of a file to write");
  std::ofstream(dir_ / "file") << "x";
  EXPECT_EQ(config_error((dir_ / "file" / "x.json").string(), "--json"),
            "--json " + (dir_ / "file" / "x.json").string() + ": '" + (dir_ / "file").string() +
                "' is not a directory");
  EXPECT_EQ(config_error("", "--json"), "--json: needs a file name");
}

TEST_F(WriterTest, ReadOnlyDirectoryIsNamed) {
  if (::geteuid() == 0) GTEST_SKIP() << "root may write anywhere";
  fs::create_directory(dir_ / "ro");
  ::chmod((dir_ / "ro").c_str(), 0555);
  EXPECT_EQ(config_error((dir_ / "ro" / "x.json").string(), "--json"),
            "--json " + (dir_ / "ro" / "x.json").string() + ": directory '" + (dir_ / "ro").string() +
                "' is not writable");
  ::chmod((dir_ / "ro").c_str(), 0755);
}

}  // namespace
}  // namespace fanout
