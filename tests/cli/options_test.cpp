// The option schema and its reader: flags over job-file lines, origins in every error, lists,
// flags, bounds, and values shown safely.
#include "cli/options.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

const CommandSchema& schema() {
  static const CommandSchema s{
      "demo",
      "usage: fanout demo\n",
      {{"Top",
        {{"name", "a name"}, {"count", "a count"}, {"on", "a flag", OptionSpec::Arity::flag}}},
       {"[sec] A section",
        {{"sec.url", "repeatable", OptionSpec::Arity::list},
         {"sec.file", "a path"},
         {"sec.wait", "a duration"}}},
       {"Own", {{"out", "not for files"}}}},
      "job-file",
      true,
      {"Top", "[sec] A section"}};
  return s;
}

class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    char name[] = "/tmp/fanout-opt-XXXXXX";
    ::close(::mkstemp(name));
    path_ = name;
    std::ofstream(path_) << text;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string error_of(const std::vector<std::string>& args,
                     void (*read)(const OptionReader&) = nullptr) {
  try {
    const Options o = Options::parse(schema(), args);
    if (read) read(o.reader());
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Options, FlagsWinOverTheFileAndPathsFollowTheirOrigin) {
  TempFile job("name = from-file\ncount = 3\n[sec]\nfile = data.txt\nurl = a\nurl = b\n");
  const Options o = Options::parse(schema(), {job.path(), "--name", "flag", "--on"}, "/base");
  const OptionReader r = o.reader();
  std::string name, file;
  int count = 0;
  bool on = false;
  r.text("name", name);
  r.integer("count", count, 0, 10);
  r.path("sec.file", file);
  r.boolean("on", on);
  EXPECT_EQ(name, "flag");
  EXPECT_EQ(count, 3);
  EXPECT_EQ(file, "/tmp/data.txt") << "relative to the job file";
  EXPECT_TRUE(on);
  EXPECT_EQ(r.list("sec.url"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.where("count"), job.path() + ":2");
  EXPECT_EQ(r.where("name"), "--name");
  EXPECT_TRUE(r.from_file("count"));
  EXPECT_FALSE(r.from_file("name"));
  EXPECT_EQ(o.job_file(), job.path());
  EXPECT_EQ(o.given().size(), 2u);
  std::string cli_file;
  Options::parse(schema(), {"--sec.file", "x.txt"}, "/base").reader().path("sec.file", cli_file);
  EXPECT_EQ(cli_file, "/base/x.txt") << "relative to the base directory";
}

TEST(Options, ErrorsNameTheFlagOrTheFileLine) {
  EXPECT_EQ(error_of({"--count", "11"},
                     [](const OptionReader& r) {
                       int c = 0;
                       r.integer("count", c, 0, 10);
                     }),
            "--count '11': must be a whole number from 0 to 10");
  TempFile bad("count = x\n");
  EXPECT_EQ(error_of({bad.path()},
                     [](const OptionReader& r) {
                       int c = 0;
                       r.integer("count", c, 0, 10);
                     }),
            bad.path() + ":1: count = x: must be a whole number from 0 to 10");
  TempFile own("out = here\n");
  EXPECT_EQ(error_of({own.path()}), own.path() +
                                        ":1: unknown key 'out'; valid keys at the top: "
                                        "name, count, on");
  TempFile twice("[sec]\nwait = 1s\nwait = 2s\n");
  EXPECT_EQ(error_of({twice.path()}), twice.path() + ":3: 'sec.wait' is set twice in this file");
  EXPECT_EQ(error_of({"--nope"}),
            "unknown option '--nope'; see 'fanout demo --help' for the valid options");
  EXPECT_EQ(error_of({"a.ini", "b.ini"}).rfind("too many positional options", 0), 0u);
}

TEST(Options, BoundsOfDurationsAndSizes) {
  EXPECT_EQ(
      error_of({"--sec.wait", "1e16"},
               [](const OptionReader& r) {
                 double w = 0;
                 r.duration("sec.wait", w, false, 86400);
               }),
      "--sec.wait '1e16': must be a positive duration such as 250ms, 1.5s or 2m, at most 1 days");
}

TEST(Options, ValuesAreShownOnOneLineAndCut) {
  const std::string many(500, 'x');
  const std::string e = error_of({"--count", many}, [](const OptionReader& r) {
    int c = 0;
    r.integer("count", c, 0, 10);
  });
  EXPECT_LT(e.size(), 200u) << e;
  EXPECT_NE(e.find("... (500 bytes)"), std::string::npos) << e;
  const std::string nl = error_of({"--name", "two\nlines"}, [](const OptionReader& r) {
    std::string n;
    r.text("name", n);
  });
  EXPECT_EQ(nl, "--name 'two\\nlines': must be on one line");
  EXPECT_EQ(nl.find('\n'), std::string::npos);
}

TEST(Options, HelpListsTheGroups) {
  const Options o = Options::parse(schema(), {"--help"});
  ASSERT_TRUE(o.help());
  for (const char* word : {"usage: fanout demo", "Top", "[sec] A section", "--sec.url", "--out"}) {
    EXPECT_NE(o.help_text().find(word), std::string::npos) << word;
  }
}

}  // namespace
}  // namespace fanout
