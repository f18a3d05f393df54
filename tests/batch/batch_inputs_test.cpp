// What status, collect and submit refuse or survive in their inputs: corrupt submit.json
// records, oversized studies, a template that is no file, and a Slurm controller that is down.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../temp_dir.hpp"
#include "batch/manifest.hpp"
#include "batch/scheduler_client.hpp"
#include "batch/submit_options.hpp"
#include "batch/templates.hpp"
#include "cli/config_error.hpp"

namespace fanout {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class BatchInputs : public ::testing::Test {
 protected:
  /// A manifest as submit writes it, two points.
  static json manifest() {
    const json point = {{"key", "n1-r1-t1"},
                        {"nodes", 1},
                        {"ranks", 1},
                        {"ranks_per_node", 1},
                        {"threads", 1},
                        {"model", "processes"},
                        {"workers", 1},
                        {"work_factor", 1},
                        {"script", "jobs/n1-r1-t1.sbatch"},
                        {"job_id", "4"},
                        {"run_json", "runs/n1-r1-t1.json"},
                        {"log", "runs/n1-r1-t1.log"},
                        {"command", {"srun", "fanout"}}};
    json second = point;
    second["key"] = "n1-r2-t1";
    second["ranks"] = 2;
    second["ranks_per_node"] = 2;
    second["workers"] = 2;
    second["run_json"] = "runs/n1-r2-t1.json";
    return {
        {"fanout_version", "0.1.0"},
        {"submitted_at", "2026-11-25T01:21:49Z"},
        {"command_line", "fanout submit"},
        {"workdir", "/tmp"},
        {"fanout", "/usr/bin/fanout"},
        {"scheduler", "slurm"},
        {"launcher", "srun"},
        {"array", false},
        {"array_script", ""},
        {"array_job_id", ""},
        {"time_limit_s", 600},
        {"partition", ""},
        {"account", ""},
        {"exclusive", true},
        {"modules", json::array()},
        {"setup", json::array()},
        {"study",
         {{"mode", "strong"},
          {"repeat", 3},
          {"model", nullptr},
          {"efficiency_threshold", 0.8},
          {"nodes", {1}},
          {"ranks_per_node", {1, 2}},
          {"threads", {1}},
          {"run_args", json::array()},
          {"job_args", json::array()},
          {"notes", json::array()}}},
        {"launch_template", "srun"},
        {"points", {point, second}},
        {"collect", {{"script", "jobs/collect.sbatch"}, {"job_id", "6"}, {"log", "collect.log"}}}};
  }
  std::string manifest_error(const json& doc) const {
    std::ofstream(dir_ / kManifestFile) << doc.dump();
    try {
      read_manifest(dir_.string());
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
  test::ScratchDir scratch_;
  const fs::path& dir_ = scratch_.path();
};

TEST_F(BatchInputs, AManifestAsSubmitWritesItReads) { EXPECT_EQ(manifest_error(manifest()), ""); }

TEST_F(BatchInputs, CountsBelowOneAreRefused) {
  // ranks = 0 once gave an efficiency of "inf %".
  for (const char* key :
       {"ranks", "nodes", "threads", "workers", "ranks_per_node", "work_factor"}) {
    json doc = manifest();
    doc["points"][1][key] = 0;
    EXPECT_NE(manifest_error(doc).find(std::string(key) + " = 0, expected 1 to"), std::string::npos)
        << key;
  }
  json doc = manifest();
  doc["points"][0]["ranks"] = -3;
  EXPECT_NE(manifest_error(doc).find("ranks = -3"), std::string::npos);
  doc = manifest();
  doc["time_limit_s"] = -60;
  EXPECT_NE(manifest_error(doc).find("time_limit_s is not above zero"), std::string::npos);
  doc = manifest();
  doc["study"]["repeat"] = 0;
  EXPECT_NE(manifest_error(doc).find("repeat = 0"), std::string::npos);
  doc = manifest();
  doc["study"]["efficiency_threshold"] = 7;
  EXPECT_NE(manifest_error(doc).find("efficiency_threshold"), std::string::npos);
  doc = manifest();
  doc["study"]["threads"] = json::array();
  EXPECT_NE(manifest_error(doc).find("threads is empty"), std::string::npos);
}

TEST_F(BatchInputs, CountsThatAreNoIntegersAreRefused) {
  // get<int>() of 1e300 was a cast out of range (undefined behaviour), found by fuzz_manifest.
  for (const json& bad : {json(1e300), json(-1e300), json(2.5), json(18446744073709551615u),
                          json(std::int64_t{1} << 40), json("3")}) {
    json doc = manifest();
    doc["study"]["repeat"] = bad;
    EXPECT_NE(manifest_error(doc).find("repeat = "), std::string::npos) << bad;
    doc = manifest();
    doc["points"][0]["ranks"] = bad;
    EXPECT_NE(manifest_error(doc).find("ranks = "), std::string::npos) << bad;
    doc = manifest();
    doc["study"]["threads"] = {1, bad};
    EXPECT_NE(manifest_error(doc).find("threads[] = "), std::string::npos) << bad;
  }
  json doc = manifest();
  doc["time_limit_s"] = 1e300;
  EXPECT_NE(manifest_error(doc).find("time_limit_s = 1e+300, expected an integer from"),
            std::string::npos)
      << manifest_error(doc);
  doc["time_limit_s"] = 600.0;  // a float that is a whole number is still no integer
  EXPECT_NE(manifest_error(doc).find("time_limit_s = 600.0"), std::string::npos);
}

TEST_F(BatchInputs, PointFilesStayInsideTheStudy) {
  for (const char* bad : {"/dev/zero", "../../etc/passwd", "runs/../../x", ""}) {
    json doc = manifest();
    doc["points"][0]["run_json"] = bad;
    EXPECT_NE(manifest_error(doc).find("is not a file inside the study directory"),
              std::string::npos)
        << bad;
  }
}

TEST_F(BatchInputs, ARecordThatIsNoFileIsRefusedAtOnce) {
  ASSERT_EQ(::mkfifo((dir_ / kManifestFile).c_str(), 0644), 0);
  try {
    read_manifest(dir_.string());
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("it is a FIFO (named pipe), not a regular file"),
              std::string::npos);
  }
}

TEST_F(BatchInputs, TruncatedOrWrongTypesNameTheFile) {
  const std::string text = manifest().dump();
  std::ofstream(dir_ / kManifestFile) << text.substr(0, text.size() / 2);
  EXPECT_THROW(read_manifest(dir_.string()), ConfigError);
  json doc = manifest();
  doc["points"][0]["ranks"] = "two";
  EXPECT_NE(manifest_error(doc).find("submit.json: not a fanout submission record"),
            std::string::npos);
}

TEST_F(BatchInputs, TemplateDirEntriesMustBeFiles) {
  ASSERT_EQ(::mkfifo((dir_ / "slurm-point.sh").c_str(), 0644), 0);
  try {
    load_templates(Scheduler::slurm, dir_.string());
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("slurm-point.sh: it is a FIFO"), std::string::npos)
        << e.what();
  }
}

TEST(SubmitSizes, PointsPastTheLimitsAreRefusedBeforeOverflow) {
  const auto error_of = [](std::vector<std::string> args) -> std::string {
    args.insert(args.end(), {"--cpu.kernel", "noop", "--time", "10", "--out", "/tmp/never"});
    std::string help;
    try {
      parse_submit_command(args, help);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error_of({"--nodes", "1,100000", "--ranks-per-node", "4096", "--threads", "1,4096"})
                .find("100000 nodes x 4096 ranks = 409600000 ranks, more than the 1000000"),
            std::string::npos);
  EXPECT_NE(error_of({"--nodes", "1,1000", "--ranks-per-node", "1000", "--threads", "1,4096"})
                .find("--threads: the largest point is 1000000 ranks x 4096 threads"),
            std::string::npos);
  EXPECT_EQ(error_of({"--nodes", "1,1000", "--ranks-per-node", "1000"}), "");
}

/// A PATH whose scontrol counts its calls and answers as a controller that is down does.
class DownController : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path tool = dir_ / "scontrol";
    std::ofstream(tool) << "#!/bin/sh\necho x >> " << (dir_ / "calls").string()
                        << "\necho 'slurm_load_jobs error: Unable to contact slurm controller "
                           "(connect failure)' >&2\nexit 1\n";
    fs::permissions(tool, fs::perms::owner_all);
    const char* old = std::getenv("PATH");
    old_path_ = old ? old : "";
    ::setenv("PATH", (dir_.string() + ":" + old_path_).c_str(), 1);
  }
  void TearDown() override { ::setenv("PATH", old_path_.c_str(), 1); }
  int calls() const {
    std::ifstream in(dir_ / "calls");
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }
  test::ScratchDir scratch_;
  const fs::path& dir_ = scratch_.path();
  std::string old_path_;
};

TEST_F(DownController, IsAskedOnceNotOncePerJob) {
  const auto client = make_scheduler_client(Scheduler::slurm);
  for (const char* id : {"4", "5", "6", "7"}) {
    const JobStatus s = client->query(id);
    EXPECT_FALSE(s.known);
    EXPECT_NE(s.reason.find("Unable to contact slurm controller"), std::string::npos) << s.reason;
  }
  EXPECT_EQ(calls(), 1);
  try {
    require_answer(*client, "status DIR");
    ADD_FAILURE() << "a scheduler that did not answer was taken at its word";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "status DIR: Slurm did not answer (scontrol: Unable to contact slurm controller "
              "(connect failure)); the jobs' states are unknown: try again once it is back");
  }
}

TEST_F(DownController, ASilentControllerIsGivenUpOnAtTheTimeout) {
  // scontrol that hangs as one whose controller never answers: killed at kQueryTimeout_s.
  std::ofstream(dir_ / "scontrol") << "#!/bin/sh\nexec sleep 60\n";
  const auto client = make_scheduler_client(Scheduler::slurm);
  const JobStatus s = client->query("4");
  EXPECT_FALSE(s.known);
  ASSERT_TRUE(client->unreachable());
  EXPECT_EQ(*client->unreachable(), "scontrol: no answer within 5 s");
}

TEST(SchedulerClient, AnsweringSchedulerIsNotUnreachable) {
  EXPECT_EQ(make_scheduler_client(Scheduler::slurm)->unreachable(), std::nullopt);
  EXPECT_EQ(make_scheduler_client(Scheduler::pbs)->unreachable(), std::nullopt);
}

}  // namespace
}  // namespace fanout
