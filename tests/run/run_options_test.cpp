// run and compare: command line and job file together, precedence, conversion, and one clear error
// per mistake.
#include "run/run_options.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "cli/config_error.hpp"
#include "run/session.hpp"

namespace fanout {
namespace {

/// `fanout run ARGS` (or compare, when the first word is "compare").
RunCommand parse(std::vector<std::string> args) {
  const bool compare = !args.empty() && args.front() == "compare";
  if (!args.empty() && (args.front() == "run" || args.front() == "compare"))
    args.erase(args.begin());
  std::string help;
  std::optional<RunCommand> cmd = parse_run_command(compare, args, help);
  if (!cmd) throw std::logic_error("help: " + help);
  return *cmd;
}

std::string help_of(bool compare) {
  std::string help;
  EXPECT_FALSE(parse_run_command(compare, {"--help"}, help));
  return help;
}

nlohmann::json section(const RunCommand& cmd) { return cmd.job.workload->to_json(); }

std::string error_of(std::vector<std::string> args) {
  try {
    parse(std::move(args));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

class JobFile {
 public:
  explicit JobFile(const std::string& text) {
    char name[] = "/tmp/fanout-job-XXXXXX";
    const int fd = mkstemp(name);
    close(fd);
    path_ = name;
    std::ofstream(path_) << text;
  }
  ~JobFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(RunOptions, Defaults) {
  const RunCommand cmd = parse({"run"});
  EXPECT_FALSE(cmd.compare);
  EXPECT_EQ(cmd.job.workload->kind(), "cpu");
  EXPECT_EQ(cmd.job.run.model, Model::serial);
  EXPECT_EQ(section(cmd)["kernel"], "fib");
  EXPECT_EQ(cmd.base.mode, BaseOption::Mode::measure);
}

TEST(RunOptions, FlagsConvert) {
  const RunCommand cmd =
      parse({"compare", "--cpu.n", "25", "--cpu.count=8", "--model", "processes+threads",
             "--threads", "3", "--schedule", "dynamic", "--chunk", "2", "--repeat", "5", "--base",
             "1.5s", "--cpu.array", "4MiB"});
  EXPECT_TRUE(cmd.compare);
  EXPECT_EQ(section(cmd)["n"], 25);
  EXPECT_EQ(section(cmd)["count"], 8u);
  EXPECT_EQ(cmd.job.run.model, Model::processes_threads);
  EXPECT_EQ(cmd.job.run.threads, 3);
  EXPECT_EQ(cmd.job.run.schedule, Schedule::dynamic);
  EXPECT_EQ(cmd.job.run.chunk, 2u);
  EXPECT_EQ(cmd.job.run.repeat, 5);
  EXPECT_EQ(cmd.base.mode, BaseOption::Mode::given);
  EXPECT_DOUBLE_EQ(cmd.base.wall_s, 1.5);
  EXPECT_EQ(section(cmd)["array_bytes"], 4u << 20);
}

TEST(RunOptions, JobFileAndCommandLineWins) {
  JobFile job("name = lesson\n[cpu]\nn = 30\ncount = 12\n");
  const RunCommand cmd = parse({"run", job.path(), "--cpu.n", "20"});
  EXPECT_EQ(cmd.job.name, "lesson");
  EXPECT_EQ(section(cmd)["n"], 20);       // the flag wins
  EXPECT_EQ(section(cmd)["count"], 12u);  // the file fills the rest
  EXPECT_EQ(cmd.job.source, job.path());
}

TEST(RunOptions, IoSectionAndRelativeUrlFile) {
  JobFile job(
      "workload = io\n[io]\nurl = http://127.0.0.1:1/a\nurl = http://127.0.0.1:1/b\n"
      "url-file = sites.txt\ntimeout = 250ms\nhttp2 = yes\nmax-body = 1MiB\n");
  const RunCommand cmd = parse({"compare", job.path()});
  EXPECT_EQ(cmd.job.workload->kind(), "io");
  const nlohmann::json io = section(cmd);
  ASSERT_EQ(io["urls"].size(), 2u);
  EXPECT_EQ(io["urls"][1], "http://127.0.0.1:1/b");
  EXPECT_EQ(io["url_file"], "/tmp/sites.txt");  // relative to the job file
  EXPECT_DOUBLE_EQ(io["timeout_s"].get<double>(), 0.25);
  EXPECT_TRUE(io["http2"].get<bool>());
  EXPECT_EQ(io["max_body"], 1u << 20);
}

TEST(RunOptions, RelativePathsOnTheCommandLineStartAtTheBaseDirectory) {
  std::string help;
  const auto cmd = parse_run_command(false, {"--workload", "io", "--io.url-file", "urls.txt"}, help,
                                     "/srv/study");
  ASSERT_TRUE(cmd);
  EXPECT_EQ(cmd->job.workload->to_json()["url_file"], "/srv/study/urls.txt");
}

TEST(RunOptions, Help) {
  EXPECT_NE(help_of(false).find("--cpu.n"), std::string::npos);
  EXPECT_NE(help_of(false).find("--io.url-file"), std::string::npos);
  EXPECT_NE(help_of(true).find("recommends one"), std::string::npos);
}

TEST(RunOptions, BadFlagsSayWhatIsValid) {
  EXPECT_EQ(error_of({"run", "--bogus", "1"}),
            "unknown option '--bogus'; see 'fanout run --help' for the valid options");
  EXPECT_EQ(error_of({"run", "--cpu.n", "-3"}),
            "--cpu.n '-3': must be a whole number from 1 to 92");
  EXPECT_EQ(error_of({"run", "--cpu.count", "0"}),
            "--cpu.count '0': must be a whole number from 1 to 1000000000");
  EXPECT_EQ(error_of({"run", "--cpu.kernel", "mandelbrot"}),
            "--cpu.kernel 'mandelbrot': expected one of: fib, primes, triad, noop");
  EXPECT_EQ(error_of({"run", "--model", "fibers"}),
            "--model 'fibers': expected one of: serial, threads, async, processes, "
            "processes+threads, processes+async");
  EXPECT_EQ(error_of({"run", "--model", "processes+async"}),
            "--model 'processes+async': processes+async applies to workload = io; for cpu use "
            "processes+threads");
  EXPECT_EQ(
      error_of({"run", "--io.timeout", "soon", "--workload", "io", "--io.url", "http://x/"}),
      "--io.timeout 'soon': must be a positive duration such as 250ms, 1.5s or 2m, at most 30 "
      "days");
  EXPECT_EQ(
      error_of({"run", "--io.timeout", "1e16", "--workload", "io", "--io.url", "http://x/"}),
      "--io.timeout '1e16': must be a positive duration such as 250ms, 1.5s or 2m, at most 30 "
      "days");
  EXPECT_EQ(error_of({"run", "--io.max-body", "16000000000000000000", "--workload", "io",
                      "--io.url", "http://x/"}),
            "--io.max-body '16000000000000000000': must be a size from 1 bytes to 8 EiB, such as "
            "4KiB, 32MiB or 1GB");
  EXPECT_EQ(error_of({"compare", "--models", "serial,"}),
            "--models: empty item; expected a comma-separated list of: serial, threads, async, "
            "processes, processes+threads, processes+async");
  EXPECT_EQ(error_of({"run", "--models", "serial"}),
            "--models 'serial': 'models' is for compare; run takes --model");
  EXPECT_EQ(error_of({"run", "--io.url", "http://x/"}),
            "--io.url: [io] key given but workload is cpu; set workload = io");
  EXPECT_EQ(error_of({"run", "--base", "fast"}),
            "--base 'fast': expected measure, none, or a serial time such as 12.5s");
  EXPECT_EQ(error_of({"run", "--workload", "io"}),
            "--workload io: workload = io needs [io] url = ... or url-file = ...");
  EXPECT_EQ(error_of({"compare", "--models", "serial,warp"}),
            "--models: unknown model 'warp'; expected a comma-separated list of: serial, threads, "
            "async, processes, processes+threads, processes+async");
}

TEST(RunOptions, BadJobFileNamesFileAndLine) {
  JobFile unknown("[cpu]\nn = 30\nm = 4\n");
  EXPECT_EQ(error_of({"run", unknown.path()}),
            unknown.path() +
                ":3: unknown key 'cpu.m'; valid keys in [cpu]: kernel, n, count, "
                "width, array, sweeps");
  JobFile bad_value("workload = cpu\n[cpu]\nn = thirty\n");
  EXPECT_EQ(error_of({"run", bad_value.path()}),
            bad_value.path() + ":3: cpu.n = thirty: must be a whole number from 1 to 92");
  JobFile twice("[cpu]\nn = 3\nn = 4\n");
  EXPECT_EQ(error_of({"run", twice.path()}),
            twice.path() + ":3: 'cpu.n' is set twice in this file");
  JobFile section("[gpu]\nn = 3\n");
  EXPECT_EQ(error_of({"run", section.path()}),
            section.path() + ":2: unknown key 'gpu.n'; sections are [cpu], [io] and [shell]");
  EXPECT_EQ(error_of({"run", "/nonexistent.ini"}),
            "/nonexistent.ini: cannot read job file: No such file or directory");
}

}  // namespace
}  // namespace fanout

namespace fanout {
namespace {

TEST(FarmOptions, CommandsRunOnceUnlessRerunOrSampled) {
  JobFile tasks("echo a\necho b\necho c\n");
  const std::vector<std::string> shell{"--workload", "shell", "--shell.tasks", tasks.path()};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> args{"run"};
    args.insert(args.end(), shell.begin(), shell.end());
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  EXPECT_NE(error_of(with({"--repeat", "2"})).find("runs each of the farm's 3 commands 2 times"),
            std::string::npos);
  EXPECT_NE(error_of(with({"--base", "measure", "--model", "threads"})).find("shell.rerun"),
            std::string::npos);
  EXPECT_EQ(parse(with({"--repeat", "2", "--shell.rerun"})).job.run.repeat, 2);
  EXPECT_EQ(parse(with({"--repeat", "2", "--shell.sample", "2"})).job.run.repeat, 2);
  std::vector<std::string> compare{"compare"};
  compare.insert(compare.end(), shell.begin(), shell.end());
  EXPECT_NE(error_of(compare).find("compare measures 7 models and slot counts"), std::string::npos)
      << error_of(compare);
  compare.push_back("--shell.rerun");
  const RunCommand cmp = parse(compare);
  EXPECT_EQ(cmp.base.mode, BaseOption::Mode::measure);
  EXPECT_EQ(section(cmp)["joblog"], "") << "compare keeps no joblog";
  EXPECT_EQ(session_entries(cmp).size(), 7u);
}

}  // namespace
}  // namespace fanout
