// `fanout scale` on the command line: the sweep's options, what is forwarded to every point, and
// one clear error per mistake.
#include "study/scale_options.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

ScaleCommand parse(const std::vector<std::string>& args) {
  std::string help;
  std::optional<ScaleCommand> cmd = parse_scale_command(args, help);
  if (!cmd) throw std::logic_error("help: " + help);
  return *cmd;
}

std::string help() {
  std::string text;
  EXPECT_FALSE(parse_scale_command({"--help"}, text));
  return text;
}

nlohmann::json section(const ScaleCommand& cmd) { return cmd.job.workload->to_json(); }

std::string error_of(std::vector<std::string> args) {
  try {
    parse(std::move(args));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ScaleOptions, CountLists) {
  EXPECT_EQ(parse({"--ranks", "1,2,4,8", "--out", "d"}).spec.ranks, (std::vector<int>{1, 2, 4, 8}));
  EXPECT_EQ(parse({"--ranks", "3", "--out", "d"}).spec.ranks, (std::vector<int>{3}));
  EXPECT_EQ(parse({"--ranks", "4,1", "--out", "d"}).spec.ranks, (std::vector<int>{4, 1}));
}

TEST(ScaleOptions, BadListsNameTheFlag) {
  const std::string valid =
      "; expected comma-separated whole numbers from 1 to 100000, e.g. 1,2,4,8";
  EXPECT_EQ(error_of({"--ranks", "1,,2", "--out", "d"}), "--ranks '1,,2': empty item" + valid);
  EXPECT_EQ(error_of({"--ranks", "1,2,", "--out", "d"}), "--ranks '1,2,': empty item" + valid);
  EXPECT_EQ(error_of({"--ranks", "", "--out", "d"}), "--ranks '': empty item" + valid);
  EXPECT_EQ(error_of({"--ranks", "0", "--out", "d"}), "--ranks '0': 0 is out of range" + valid);
  EXPECT_EQ(error_of({"--ranks", "x", "--out", "d"}),
            "--ranks 'x': 'x' is not a whole number" + valid);
  EXPECT_EQ(error_of({"--ranks", "2,2", "--out", "d"}), "--ranks '2,2': 2 is listed twice" + valid);
  EXPECT_EQ(error_of({"--ranks", "2", "--threads", "1,-2", "--out", "d"}),
            "--threads '1,-2': -2 is out of range; expected comma-separated whole numbers from 1 "
            "to 4096, e.g. 1,2,4,8");
}

TEST(ScaleOptions, OtherMistakes) {
  EXPECT_EQ(error_of({"--ranks", "1,2"}),
            "--out: scale needs a directory for its files, e.g. --out study-fib");
  EXPECT_EQ(error_of({"--ranks", "1,2", "--mode", "fast", "--out", "d"}),
            "--mode 'fast': expected one of: strong, weak");
  EXPECT_EQ(error_of({"--out", "d"}),
            "--ranks/--threads: the study has only the 1 x 1 point; list more, e.g. --ranks 1,2,4");
  EXPECT_EQ(error_of({"--ranks", "1,2", "--efficiency-threshold", "1.5", "--out", "d"}),
            "--efficiency-threshold '1.5': must be a fraction from 0 to 1, such as 0.8 or 80%");
  EXPECT_EQ(error_of({"--ranks", "1,2", "--efficiency-threshold", "0", "--out", "d"}),
            "--efficiency-threshold '0': must be above 0, such as 0.8 or 80%");
  EXPECT_EQ(error_of({"--ranks", "1,2", "--launcher", "aprun", "--out", "d"}),
            "--launcher 'aprun': expected one of: auto, mpirun, srun");
  EXPECT_EQ(error_of({"--ranks", "1,2", "--progress", "loud", "--out", "d"}),
            "--progress 'loud': expected one of: auto, live, plain, none");
  EXPECT_EQ(error_of({"--ranks", "1,2", "--json", "x.json", "--out", "d"}),
            "unknown option '--json'; see 'fanout scale --help' for the valid options");
  EXPECT_EQ(
      error_of({"--ranks", "1,2", "--model", "serial", "--out", "d"}).rfind("--model 'serial'", 0),
      0u);
  EXPECT_EQ(error_of({"--ranks", "1,2", "--model", "threads", "--out", "d"})
                .rfind("--ranks '1,2': model threads runs on one rank", 0),
            0u);
  EXPECT_EQ(error_of({"--ranks", "2", "--threads", "1,2", "--model", "processes", "--out", "d"}),
            "--threads '1,2': the points run processes, one worker per rank; use --threads 1, or "
            "--model processes+threads");
  EXPECT_EQ(error_of({"--ranks", "1,2", "--cpu.n", "0", "--out", "d"}),
            "--cpu.n '0': must be a whole number from 1 to 92");
  EXPECT_EQ(error_of({"--ranks", "1,2", "--model", "processes+async", "--out", "d"}),
            "--model 'processes+async': processes+async applies to workload = io; for cpu use "
            "processes+threads");
}

TEST(ScaleOptions, SweepAndForwardedJobKeys) {
  const ScaleCommand cmd =
      parse({"--ranks", "1,2,4", "--threads=1,2", "--cpu.n", "20", "--mode", "strong", "--repeat",
             "5", "--efficiency-threshold", "75%", "--cpu.count=12", "--out", "st", "--launcher",
             "mpirun", "--progress", "plain"});
  const StudySpec& s = cmd.spec;
  EXPECT_EQ(s.ranks, (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(s.threads, (std::vector<int>{1, 2}));
  EXPECT_EQ(s.repeat, 5);
  EXPECT_DOUBLE_EQ(s.efficiency_threshold, 0.75);
  EXPECT_EQ(s.out_dir, "st");
  EXPECT_EQ(s.launcher, Launcher::mpirun);
  EXPECT_FALSE(s.model);
  EXPECT_EQ(s.progress, ProgressMode::plain);
  EXPECT_EQ(s.run_args, (std::vector<std::string>{"--cpu.n", "20", "--cpu.count=12"}));
  EXPECT_EQ(section(cmd)["n"], 20);
  EXPECT_EQ(section(cmd)["count"], 12u);
}

TEST(ScaleOptions, WeakModeLeavesTheGrownWorkToTheStudy) {
  const ScaleCommand cmd =
      parse({"--ranks", "1,2", "--mode", "weak", "--cpu.count", "7", "--out", "w"});
  EXPECT_EQ(cmd.spec.mode, ScaleMode::weak);
  EXPECT_TRUE(cmd.spec.run_args.empty());
  EXPECT_EQ(cmd.spec.job_args, (std::vector<std::string>{"--cpu.count", "7"}));
  EXPECT_EQ(section(cmd)["count"], 7u);  // the base work each point multiplies
}

TEST(ScaleOptions, IoPointsGetOneDriverPerRankUnlessTheJobSaysOtherwise) {
  const ScaleCommand cmd = parse(
      {"--ranks", "1,2", "--workload", "io", "--io.url", "http://127.0.0.1:1/", "--out", "d"});
  EXPECT_EQ(cmd.spec.run_args,
            (std::vector<std::string>{"--workload", "io", "--io.url", "http://127.0.0.1:1/",
                                      "--io.driver", "rank"}));
  ASSERT_EQ(cmd.spec.notes.size(), 1u);
  const ScaleCommand given = parse({"--ranks", "1,2", "--workload", "io", "--io.url",
                                    "http://127.0.0.1:1/", "--io.driver", "node", "--out", "d"});
  EXPECT_TRUE(given.spec.notes.empty());
}

TEST(ScaleOptions, RanksPastTheHostAreRefusedOutsideAnAllocation) {
  StudySpec spec;
  spec.ranks = {1, 100000};
  try {
    check_local_ranks(spec, 2, false);
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("--ranks: a point of 100000 ranks would start 100000 "
                                          "processes on this 2-core host",
                                          0),
              0u)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("at most 64 here"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(check_local_ranks(spec, 2, true));  // the allocation's limits apply
  spec.launcher = Launcher::srun;
  EXPECT_NO_THROW(check_local_ranks(spec, 2, false));
  spec.launcher = Launcher::automatic;
  spec.ranks = {1, 2, 64};
  EXPECT_NO_THROW(check_local_ranks(spec, 2, false));
  spec.ranks = {1, 128};
  EXPECT_NO_THROW(check_local_ranks(spec, 8, false));  // 16 per core
  EXPECT_THROW(check_local_ranks(spec, 4, false), ConfigError);
}

TEST(ScaleOptions, HelpListsTheSweepAndTheJobKeys) {
  const std::string text = help();
  for (const char* word : {"usage: fanout scale", "--ranks", "--efficiency-threshold", "--out",
                           "--cpu.n", "--io.url", "--launcher"}) {
    EXPECT_NE(text.find(word), std::string::npos) << word;
  }
  EXPECT_EQ(text.find("--json"), std::string::npos);
}

}  // namespace
}  // namespace fanout
