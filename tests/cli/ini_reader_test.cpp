// The INI reader keeps line numbers and names file:line in its errors.
#include "cli/ini_reader.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../temp_dir.hpp"
#include "cli/config_error.hpp"

namespace fanout {
namespace {

TEST(IniReader, SectionsKeysAndLines) {
  const auto entries = parse_ini(
      "# a job\nworkload = cpu\n\n[cpu]\nn = 30 \n; comment\nkernel=fib\n[io]\nurl = http://a/#x\n",
      "job.ini");
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].key, "workload");
  EXPECT_EQ(entries[0].line, 2);
  EXPECT_EQ(entries[1].key, "cpu.n");
  EXPECT_EQ(entries[1].value, "30");
  EXPECT_EQ(entries[1].line, 5);
  EXPECT_EQ(entries[2].key, "cpu.kernel");
  EXPECT_EQ(entries[3].value, "http://a/#x");  // '#' inside a value is kept
}

void expect_error(const std::string& text, const std::string& expected) {
  try {
    parse_ini(text, "job.ini");
    FAIL() << "no error for: " << text;
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), expected);
  }
}

TEST(IniReader, ErrorsNameFileAndLine) {
  expect_error("[cpu]\nn 30\n", "job.ini:2: expected 'key = value' or '[section]', got 'n 30'");
  expect_error("\n[cpu\n", "job.ini:2: unclosed section header '[cpu'");
  expect_error("[c p u]\n", "job.ini:1: bad section name 'c p u'; expected e.g. [cpu] or [io]");
  expect_error("= 3\n", "job.ini:1: bad key '' before '='");
}

TEST(IniReader, UnreadableFile) {
  try {
    read_ini_file("/nonexistent/job.ini");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "/nonexistent/job.ini: cannot read job file: No such file or directory");
  }
  EXPECT_THROW(read_ini_file("/tmp"), ConfigError);
}

TEST(IniReader, CommentsAfterWhitespaceAreStripped) {
  // The README's own job file: a comment after the value.
  const auto entries = parse_ini(
      "workload = cpu          # cpu | io\n[cpu]\nkernel = fib\t; fast\nn = 37#no space\n"
      "[io]\nurl = http://h/p#frag # a comment\nname = a;b\n",
      "job.ini");
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[0].value, "cpu");
  EXPECT_EQ(entries[1].value, "fib");
  EXPECT_EQ(entries[2].value, "37#no space");  // a '#' inside a word is kept
  EXPECT_EQ(entries[3].value, "http://h/p#frag");
  EXPECT_EQ(entries[4].value, "a;b");
  EXPECT_EQ(strip_inline_comment("# all"), "# all");  // a whole-line comment is parse_ini's
}

TEST(IniReader, LongLinesAreCutInErrors) {
  try {
    parse_ini("[cpu]\n" + std::string(10'000'000, 'x') + "\n", "job.ini");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_LT(std::string(e.what()).size(), 200u);
    EXPECT_NE(std::string(e.what()).find("... (10000000 bytes)"), std::string::npos);
  }
}

class IniFileTest : public ::testing::Test {
 protected:
  std::string error_of(const std::string& path) const {
    try {
      read_ini_file(path);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
  test::ScratchDir scratch_;
  const std::filesystem::path& dir_ = scratch_.path();
};

TEST_F(IniFileTest, AJobFileThatSetsNothingIsRefused) {
  const auto path = (dir_ / "empty.ini").string();
  std::ofstream(path) << "";
  EXPECT_NE(error_of(path).find("empty.ini: the job file sets nothing"), std::string::npos);
  std::ofstream(path) << "# only a comment\n\n[cpu]\n";
  EXPECT_NE(error_of(path).find("the job file sets nothing"), std::string::npos);
}

TEST_F(IniFileTest, EndlessInputsAreRefusedAtOnce) {
  const auto fifo = (dir_ / "fifo.ini").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  EXPECT_EQ(error_of(fifo),
            fifo + ": cannot read job file: it is a FIFO (named pipe), not a regular file");
  // Only stat'ed, never read.
  EXPECT_NE(error_of("/dev/zero").find("it is a character device"), std::string::npos);
  const auto big = (dir_ / "big.ini").string();
  std::ofstream(big) << "name = " << std::string(kMaxJobFileBytes, 'x') << "\n";
  EXPECT_NE(error_of(big).find("it is larger than 1 MiB"), std::string::npos) << error_of(big);
}

}  // namespace
}  // namespace fanout
