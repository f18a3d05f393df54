// The INI reader keeps line numbers and names file:line in its errors.
#include "cli/ini_reader.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace fanout
