// Command line and job file together: precedence, conversion, and one clear error per mistake.
#include "cli/command_line.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <vector>

#include "job/config_error.hpp"

namespace fanout {
namespace {

Invocation parse(std::vector<std::string> args) {
  args.insert(args.begin(), "fanout");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

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

TEST(CommandLine, Defaults) {
  const Invocation inv = parse({"run"});
  EXPECT_EQ(inv.command, Command::run);
  EXPECT_EQ(inv.job.workload, WorkloadKind::cpu);
  EXPECT_EQ(inv.job.run.model, Model::serial);
  EXPECT_EQ(inv.job.cpu.kernel, "fib");
  EXPECT_EQ(inv.base.mode, BaseCase::Mode::measure);
}

TEST(CommandLine, FlagsConvert) {
  const Invocation inv = parse({"compare", "--cpu.n", "25", "--cpu.count=8", "--model",
                                "processes+threads", "--threads", "3", "--schedule", "dynamic",
                                "--chunk", "2", "--repeat", "5", "--base", "1.5s",
                                "--cpu.array", "4MiB"});
  EXPECT_EQ(inv.command, Command::compare);
  EXPECT_EQ(inv.job.cpu.n, 25);
  EXPECT_EQ(inv.job.cpu.count, 8u);
  EXPECT_EQ(inv.job.run.model, Model::processes_threads);
  EXPECT_EQ(inv.job.run.threads, 3);
  EXPECT_EQ(inv.job.run.schedule, Schedule::dynamic);
  EXPECT_EQ(inv.job.run.chunk, 2u);
  EXPECT_EQ(inv.job.run.repeat, 5);
  EXPECT_EQ(inv.base.mode, BaseCase::Mode::given);
  EXPECT_DOUBLE_EQ(inv.base.wall_s, 1.5);
  EXPECT_EQ(inv.job.cpu.array_bytes, 4u << 20);
}

TEST(CommandLine, JobFileAndCommandLineWins) {
  JobFile job("name = lesson\n[cpu]\nn = 30\ncount = 12\n");
  const Invocation inv = parse({"run", job.path(), "--cpu.n", "20"});
  EXPECT_EQ(inv.job.name, "lesson");
  EXPECT_EQ(inv.job.cpu.n, 20);        // the flag wins
  EXPECT_EQ(inv.job.cpu.count, 12u);   // the file fills the rest
  EXPECT_EQ(inv.job.source, job.path());
}

TEST(CommandLine, IoSectionAndRelativeUrlFile) {
  JobFile job("workload = io\n[io]\nurl = http://127.0.0.1:1/a\nurl = http://127.0.0.1:1/b\n"
              "url-file = sites.txt\ntimeout = 250ms\nhttp2 = yes\nmax-body = 1MiB\n");
  const Invocation inv = parse({"compare", job.path()});
  EXPECT_EQ(inv.job.workload, WorkloadKind::io);
  ASSERT_EQ(inv.job.io.urls.size(), 2u);
  EXPECT_EQ(inv.job.io.urls[1], "http://127.0.0.1:1/b");
  EXPECT_EQ(inv.job.io.url_file, "/tmp/sites.txt");  // relative to the job file
  EXPECT_DOUBLE_EQ(inv.job.io.timeout_s, 0.25);
  EXPECT_TRUE(inv.job.io.http2);
  EXPECT_EQ(inv.job.io.max_body, 1u << 20);
}

TEST(CommandLine, HelpAndVersion) {
  EXPECT_NE(parse({"--help"}).print_and_exit->find("compare"), std::string::npos);
  EXPECT_NE(parse({"--version"}).print_and_exit->find("fanout "), std::string::npos);
  EXPECT_NE(parse({"run", "--help"}).print_and_exit->find("--cpu.n"), std::string::npos);
  EXPECT_NE(parse({"serve", "--help"}).print_and_exit->find("--delay"), std::string::npos);
}

TEST(CommandLine, BadFlagsSayWhatIsValid) {
  EXPECT_EQ(error_of({"frobnicate"}),
            "unknown command 'frobnicate'; expected run, compare, scale, submit, status, collect or serve (see fanout --help)");
  EXPECT_EQ(error_of({"run", "--bogus", "1"}),
            "unknown option '--bogus'; see 'fanout run --help' for the valid options");
  EXPECT_EQ(error_of({"run", "--cpu.n", "-3"}),
            "--cpu.n '-3': must be a whole number from 1 to 92");
  EXPECT_EQ(error_of({"run", "--cpu.count", "0"}),
            "--cpu.count '0': must be a whole number from 1 to 1000000000");
  EXPECT_EQ(error_of({"run", "--cpu.kernel", "mandelbrot"}),
            "--cpu.kernel 'mandelbrot': unknown kernel; expected one of: fib, primes, triad, noop");
  EXPECT_EQ(error_of({"run", "--model", "fibers"}),
            "--model 'fibers': expected one of: serial, threads, async, processes, "
            "processes+threads, processes+async");
  EXPECT_EQ(error_of({"run", "--model", "processes+async"}),
            "--model 'processes+async': processes+async applies to workload = io; for cpu use "
            "processes+threads");
  EXPECT_EQ(error_of({"run", "--io.timeout", "soon", "--workload", "io", "--io.url", "http://x/"}),
            "--io.timeout 'soon': must be a positive duration such as 250ms, 1.5s or 2m");
  EXPECT_EQ(error_of({"run", "--base", "fast"}),
            "--base 'fast': expected measure, none, or a serial time such as 12.5s");
  EXPECT_EQ(error_of({"run", "--workload", "io"}),
            "--workload io: workload = io needs [io] url = ... or url-file = ...");
  EXPECT_EQ(error_of({"compare", "--models", "serial,warp"}),
            "--models: unknown model 'warp'; expected one of: serial, threads, async, processes, "
            "processes+threads, processes+async");
  EXPECT_EQ(error_of({"serve", "--port", "70000"}),
            "--port '70000': expected a TCP port from 0 to 65535");
  EXPECT_EQ(error_of({}), "missing command; expected run, compare, scale, submit, status, collect or serve (see fanout --help)");
}

TEST(CommandLine, BadJobFileNamesFileAndLine) {
  JobFile unknown("[cpu]\nn = 30\nm = 4\n");
  EXPECT_EQ(error_of({"run", unknown.path()}),
            unknown.path() + ":3: unknown key 'cpu.m'; valid keys in [cpu]: kernel, n, count, "
                             "width, array, sweeps");
  JobFile bad_value("workload = cpu\n[cpu]\nn = thirty\n");
  EXPECT_EQ(error_of({"run", bad_value.path()}),
            bad_value.path() + ":3: cpu.n = thirty: must be a whole number from 1 to 92");
  JobFile twice("[cpu]\nn = 3\nn = 4\n");
  EXPECT_EQ(error_of({"run", twice.path()}), twice.path() + ":3: 'cpu.n' is set twice in this file");
  JobFile section("[gpu]\nn = 3\n");
  EXPECT_EQ(error_of({"run", section.path()}),
            section.path() + ":2: unknown key 'gpu.n'; sections are [cpu] and [io]");
  EXPECT_EQ(error_of({"run", "/nonexistent.ini"}),
            "/nonexistent.ini: cannot read job file: No such file or directory");
}

}  // namespace
}  // namespace fanout
