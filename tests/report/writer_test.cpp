// write_file_atomically leaves whole files and no temporaries, and replaces only regular files.
#include "report/writer.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "../temp_dir.hpp"

namespace fanout {
namespace {

namespace fs = std::filesystem;

class WriterTest : public ::testing::Test {
 protected:
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  static std::string read(const fs::path& p) { return test::slurp(p.string()); }
  test::ScratchDir scratch_;
  const fs::path& dir_ = scratch_.path();
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
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                fs::perms::others_read);
}

TEST_F(WriterTest, FailureThrowsAndLeavesNothing) {
  EXPECT_THROW(write_file_atomically((dir_ / "missing" / "x.json").string(), "x"),
               std::system_error);
  // Renaming onto a directory fails after the temporary was written: it must be cleaned up.
  fs::create_directory(dir_ / "taken");
  EXPECT_THROW(write_file_atomically((dir_ / "taken").string(), "x"), std::system_error);
  EXPECT_EQ(entries(), std::vector<std::string>{"taken"});
}

/// What is at `p`, not following a link: S_IFCHR, S_IFIFO, ...
mode_t kind(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & S_IFMT;
}

TEST_F(WriterTest, NeverReplacesAFifoOrASocket) {
  const fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  EXPECT_THROW(write_file_atomically(fifo.string(), "x"), std::system_error);
  EXPECT_EQ(kind(fifo), S_IFIFO);
  const fs::path socket = dir_ / "socket";
  ASSERT_EQ(::mknod(socket.c_str(), S_IFSOCK | 0644, 0), 0);
  EXPECT_THROW(write_file_atomically(socket.string(), "x"), std::system_error);
  EXPECT_EQ(kind(socket), S_IFSOCK);
  EXPECT_EQ(entries(), (std::vector<std::string>{"fifo", "socket"}));
}

TEST_F(WriterTest, NeverReplacesADevice) {
  // A node of its own, with /dev/null's numbers: the system's /dev is never touched.
  const fs::path node = dir_ / "null";
  if (::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) GTEST_SKIP() << "mknod needs root";
  EXPECT_THROW(write_file_atomically(node.string(), "x"), std::system_error);
  EXPECT_EQ(kind(node), S_IFCHR);
}

TEST_F(WriterTest, ASymlinkIsFollowedAndStays) {
  write_file_atomically((dir_ / "target.json").string(), "old");
  fs::create_symlink("target.json", dir_ / "link.json");
  write_file_atomically((dir_ / "link.json").string(), "new");
  EXPECT_EQ(kind(dir_ / "link.json"), S_IFLNK);
  EXPECT_EQ(read(dir_ / "target.json"), "new");
  // A link to a FIFO is refused like the FIFO itself.
  ASSERT_EQ(::mkfifo((dir_ / "fifo").c_str(), 0644), 0);
  fs::create_symlink("fifo", dir_ / "to-fifo");
  EXPECT_THROW(write_file_atomically((dir_ / "to-fifo").string(), "x"), std::system_error);
  EXPECT_EQ(kind(dir_ / "fifo"), S_IFIFO);
}

}  // namespace
}  // namespace fanout
