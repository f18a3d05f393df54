// Tests of src/job: the job's keys as flags resolved into a JobSpec and its JSON, and the refusals
// a kind's models and sections give.
#include "job/job_options.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "cli/config_error.hpp"
#include "job/job_json.hpp"

namespace fanout {
namespace {

std::string error_of(const std::vector<std::string>& args) {
  try {
    job_from_flags(args);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(JobOptions, EveryKindHasItsSectionAfterTheJobKeys) {
  const std::vector<std::string> titles = job_group_titles();
  ASSERT_GE(titles.size(), 4u);
  EXPECT_EQ(titles.front(), kJobGroupTitle);
  for (const char* kind : {"[cpu]", "[io]", "[shell]"}) {
    EXPECT_TRUE(std::any_of(titles.begin(), titles.end(), [&](const std::string& t) {
      return t.rfind(kind, 0) == 0;
    })) << kind;
  }
}

TEST(JobOptions, FlagsResolveToTheKindAndItsSection) {
  const JobSpec job = job_from_flags({"--workload", "io", "--io.url", "serve:/bytes/10",
                                      "--io.concurrency", "7", "--model", "processes+async"});
  EXPECT_EQ(job.workload->kind(), "io");
  EXPECT_EQ(job.run.model, Model::processes_async);
  const nlohmann::json doc = job_json(job);
  EXPECT_EQ(doc["workload"], "io");
  EXPECT_EQ(doc["run"]["model"], "processes+async");
  EXPECT_EQ(doc["io"]["concurrency"], 7);
}

TEST(JobOptions, AModelTheKindRefusesNamesWhy) {
  const std::string why = error_of({"--workload", "cpu", "--model", "processes+async"});
  EXPECT_NE(why.find("processes+async applies to workload = io"), std::string::npos) << why;
  EXPECT_EQ(
      error_of({"--workload", "io", "--io.url", "serve:/bytes/1", "--model", "processes+async"}),
      "(no error)");
}

TEST(JobOptions, AnotherKindsKeysAreRefused) {
  const std::string why = error_of({"--workload", "cpu", "--io.concurrency", "4"});
  EXPECT_NE(why.find("io.concurrency"), std::string::npos) << why;
}

}  // namespace
}  // namespace fanout
