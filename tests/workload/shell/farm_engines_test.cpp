// The farm on every engine (serial loop, pool threads, event loop): every task once with its
// record, log files and joblog line; timeouts that end whole process groups; retries; halt; and
// a stop passed on to the tasks in flight.
#include "workload/shell/farm_engines.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "../../temp_dir.hpp"
#include "exec/range_source.hpp"
#include "process_probe.hpp"
#include "workload/group_commit_log.hpp"
#include "workload/shell/logs_dir.hpp"
#include "workload/shell/output_index.hpp"
#include "workload/shell/shell_fields.hpp"

namespace fanout {
namespace {

using test::slurp;

std::vector<std::string> joblog_lines(const std::string& path) {
  std::vector<std::string> out;
  std::istringstream in(slurp(path));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Seq\t", 0) != 0) out.push_back(line);
  }
  return out;
}

using test::alive;

struct Engine {
  Model model;
  int workers;
};

std::string name(const testing::TestParamInfo<Engine>& p) {
  std::string n = to_string(p.param.model);
  std::replace(n.begin(), n.end(), '+', '_');
  return n + std::to_string(p.param.workers);
}

class Farm : public testing::TestWithParam<Engine> {
 protected:
  test::ScratchDir dir{"farm"};
  ShellSpec spec;
  /// shell.output = records: the rank's file of records, as binding opens it.
  bool records = false;

  void SetUp() override {
    spec.tasks_file = (dir / "tasks.txt");
    spec.logs_dir = (dir / "logs");
    spec.joblog = (dir / "logs/joblog");
    std::filesystem::create_directories(spec.logs_dir);
  }

  void tasks(const std::vector<std::string>& commands) {
    std::ofstream out(spec.tasks_file);
    for (const auto& c : commands) out << c << "\n";
  }

  /// Runs the list on the engine under test; samples by seq.
  std::vector<Sample> run(StopFlag* stop = nullptr, std::vector<std::string>* messages = nullptr,
                          LauncherWatch launcher = {},
                          std::shared_ptr<WalltimeGate> walltime = nullptr) {
    auto setup = std::make_shared<FarmSetup>();
    setup->spec = spec;
    setup->list = std::make_shared<const TaskList>(spec);
    setup->plan = TaskPlan(setup->list->size());
    setup->halt_tasks = static_cast<double>(setup->list->size());
    setup->child = ChildSetup::from_environment(spec.workdir, 1, 0, 0);
    setup->joblog = std::make_shared<JoblogWriter>(
        std::make_shared<GroupCommitLog>(spec.joblog, "--shell.joblog", joblog_header()));
    setup->logs_dir = spec.logs_dir;
    if (records) {
      std::filesystem::create_directories(output_records_dir(spec.logs_dir));
      setup->output = std::make_shared<RankOutputLog>(output_records_path(spec.logs_dir, 0));
    }
    setup->host = "h";
    setup->launcher = launcher;
    setup->walltime = std::move(walltime);
    auto exec = make_farm_executor(GetParam().model, GetParam().workers, setup);
    exec->prepare();
    RangeSource source({0, setup->plan.count()}, 1, stop);
    std::vector<Sample> samples = exec->run(source, RunContext{Clock::now(), 0, stop});
    EXPECT_TRUE(setup->joblog->log()->commit());
    if (messages) *messages = exec->error_messages();
    std::sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) {
      return shell_fields(a).seq < shell_fields(b).seq;
    });
    return samples;
  }

  /// Task `seq`'s output in the records: its last attempt's, or attempt `attempt` (1-based).
  std::string recorded(std::uint64_t seq, OutputStream stream = OutputStream::out,
                       std::size_t attempt = 0) const {
    const OutputIndex index(spec.logs_dir);
    const std::vector<OutputAttempt> attempts = index.attempts(seq);
    if (attempts.empty() || attempt > attempts.size()) return "(none)";
    std::ostringstream out;
    index.copy(attempts[attempt ? attempt - 1 : attempts.size() - 1], stream, out);
    return out.str();
  }
};

TEST_P(Farm, RunsEveryTaskOnceWithItsRecordLogsAndJoblogLine) {
  std::vector<std::string> commands;
  for (int i = 0; i < 9; ++i)
    commands.push_back("echo out $FANOUT_TASK_ID; echo err >&2; exit $((FANOUT_TASK_ID % 3))");
  tasks(commands);
  std::vector<std::string> messages;
  const auto samples = run(nullptr, &messages);
  ASSERT_EQ(samples.size(), 9u);
  std::set<TaskId> ids;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const Sample& s = samples[i];
    const ShellFields f = shell_fields(s);
    ids.insert(s.id);
    EXPECT_EQ(f.seq, i + 1);
    EXPECT_EQ(f.exit_code, static_cast<int>((i + 1) % 3));
    EXPECT_EQ(s.error, f.exit_code == 0 ? ErrorClass::none : ErrorClass::exit_status);
    EXPECT_EQ(s.attempts, 1u);
    const std::string out = "out " + std::to_string(i + 1) + "\n";
    EXPECT_EQ(f.out_bytes, out.size());
    EXPECT_EQ(f.err_bytes, 4u);
    EXPECT_EQ(slurp(task_log_path(spec.logs_dir, i + 1, ".out")), out);
    EXPECT_GT(f.start_epoch_s, 1.6e9);
    EXPECT_LT(s.worker, GetParam().workers);
  }
  EXPECT_EQ(ids.size(), 9u);
  const auto lines = joblog_lines(spec.joblog);
  ASSERT_EQ(lines.size(), 9u);
  std::set<std::string> seqs;
  for (const auto& l : lines) seqs.insert(l.substr(0, l.find('\t')));
  EXPECT_EQ(seqs.size(), 9u);
  ASSERT_FALSE(messages.empty());
  EXPECT_NE(messages[0].find("exit status"), std::string::npos) << messages[0];
}

TEST_P(Farm, PerTaskLogsGoToBucketsOfAThousandTasks) {
  // A task's number is its line: comments keep theirs, so tasks 999 to 1001 cost three runs.
  std::vector<std::string> commands(998, "# skipped");
  commands.insert(commands.end(), {"echo nine-nine-nine", "echo one-thousand", "true"});
  tasks(commands);
  ASSERT_EQ(run().size(), 3u);
  EXPECT_EQ(slurp(spec.logs_dir + "/0/999.out"), "nine-nine-nine\n");
  EXPECT_EQ(slurp(spec.logs_dir + "/1/1000.out"), "one-thousand\n");
  EXPECT_TRUE(std::filesystem::exists(spec.logs_dir + "/1/1001.err"));
}

TEST_P(Farm, RecordsHoldEveryTasksOutputInOneFilePerRank) {
  records = true;
  std::vector<std::string> commands;
  for (int i = 0; i < 9; ++i)
    commands.push_back("echo out $FANOUT_TASK_ID; echo err $FANOUT_TASK_ID >&2");
  commands.push_back("true");
  tasks(commands);
  const auto samples = run();
  ASSERT_EQ(samples.size(), 10u);
  for (std::uint64_t seq = 1; seq <= 9; ++seq) {
    EXPECT_EQ(recorded(seq), "out " + std::to_string(seq) + "\n");
    EXPECT_EQ(recorded(seq, OutputStream::err), "err " + std::to_string(seq) + "\n");
    EXPECT_EQ(shell_fields(samples[seq - 1]).out_bytes, 6u);
    EXPECT_EQ(shell_fields(samples[seq - 1]).err_bytes, 6u);
  }
  EXPECT_EQ(recorded(10), "(none)") << "a task that printed nothing has no record";
  // The spools are unlinked: the logs hold the joblog and one file of records, whatever the count.
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(spec.logs_dir))
    if (e.is_regular_file()) files.push_back(e.path().lexically_relative(spec.logs_dir).string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"joblog", "output/0.records"}));
}

TEST_P(Farm, RecordsKeepEachAttemptOfARetriedTask) {
  records = true;
  spec.retries = 1;
  const std::string mark = (dir / "mark");
  tasks({"echo try-$(ls " + mark + " 2>/dev/null | wc -l); [ -e " + mark + " ] || { touch " + mark +
         "; exit 5; }"});
  const auto samples = run();
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].attempts, 2u);
  EXPECT_EQ(recorded(1, OutputStream::out, 1), "try-0\n");
  EXPECT_EQ(recorded(1, OutputStream::out, 2), "try-1\n");
  EXPECT_EQ(recorded(1), "try-1\n") << "the last attempt by default";
}

TEST_P(Farm, AFailuresMessageSaysHowToReadItsRecordedStderr) {
  records = true;
  tasks({"echo boom >&2; exit 2"});
  std::vector<std::string> messages;
  ASSERT_EQ(run(nullptr, &messages).size(), 1u);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("(fanout farm-output " + spec.logs_dir + " --task 1 --stream err)"),
            std::string::npos)
      << messages[0];
  EXPECT_EQ(recorded(1, OutputStream::err), "boom\n");
  EXPECT_EQ(joblog_lines(spec.joblog).size(), 1u);
}

TEST_P(Farm, ARankWhoseLauncherIsGoneStartsNoTaskAndLogsNone) {
  tasks({"touch " + (dir / "ran1"), "touch " + (dir / "ran2"), "touch " + (dir / "ran3")});
  StopFlag stop;
  std::vector<std::string> messages;
  // A watch on a process that is not this one's parent: as after the launcher died.
  const auto samples = run(&stop, &messages, LauncherWatch(::getpid()));
  EXPECT_EQ(stop.reason(), StopReason::signal(SIGHUP));
  for (const Sample& s : samples) EXPECT_EQ(s.error, ErrorClass::stopped);
  for (const char* f : {"ran1", "ran2", "ran3"}) EXPECT_FALSE(std::filesystem::exists(dir / f));
  EXPECT_TRUE(joblog_lines(spec.joblog).empty()) << "a task the launcher's death cut is no record";
  // Among the messages, not necessarily first: with several workers, one may record the task it
  // had taken as stopped before the watch's message is added (seen under ASan).
  const auto said = std::find_if(messages.begin(), messages.end(), [](const std::string& m) {
    return m.find("the launcher that started rank 0 is gone") != std::string::npos;
  });
  EXPECT_NE(said, messages.end()) << ::testing::PrintToString(messages);
}

double epoch_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

TEST_P(Farm, PastItsWalltimeNoTaskStartsAndNoneIsLogged) {
  tasks({"touch " + (dir / "ran1"), "touch " + (dir / "ran2"), "touch " + (dir / "ran3")});
  StopFlag stop;
  std::vector<std::string> messages;
  // The end is 60 s away, and a task may take 10 min.
  const auto gate =
      std::make_shared<WalltimeGate>(AllocationEnd{epoch_now() + 60, "FANOUT_END_TIME"}, 600, 0);
  const auto samples = run(&stop, &messages, {}, gate);
  EXPECT_EQ(stop.reason(), StopReason::walltime());
  for (const Sample& s : samples) EXPECT_EQ(s.error, ErrorClass::stopped);
  for (const char* f : {"ran1", "ran2", "ran3"}) EXPECT_FALSE(std::filesystem::exists(dir / f));
  EXPECT_TRUE(joblog_lines(spec.joblog).empty()) << "a task that never started is no record";
  ASSERT_EQ(messages.size(), 1u) << "said once, not once a task: "
                                 << ::testing::PrintToString(messages);
  EXPECT_EQ(messages[0].rfind("rank 0: no task starts: one may take 10 min (shell.time-request), "
                              "and the end FANOUT_END_TIME gives is ",
                              0),
            0u)
      << messages[0];
  EXPECT_NE(messages[0].find(" s away; a later job (--resume) runs the rest"), std::string::npos)
      << messages[0];
}

TEST_P(Farm, AtItsWalltimeTheTasksInFlightFinishAndAreLogged) {
  // Each task sleeps 1.5 s and is expected to take 2 s: the first wave starts within the 3 s
  // left, and once it has run no further task fits.
  std::vector<std::string> commands(12, "sleep 1.5");
  tasks(commands);
  StopFlag stop;
  const auto gate =
      std::make_shared<WalltimeGate>(AllocationEnd{epoch_now() + 3, "FANOUT_END_TIME"}, 2, 0);
  const auto samples = run(&stop, nullptr, {}, gate);
  EXPECT_EQ(stop.reason(), StopReason::walltime());
  std::size_t ok = 0;
  for (const Sample& s : samples) {
    EXPECT_TRUE(s.error == ErrorClass::none || s.error == ErrorClass::stopped)
        << to_string(s.error) << ": walltime ends no task in flight";
    if (s.error == ErrorClass::none) ++ok;
  }
  EXPECT_LE(ok, static_cast<std::size_t>(GetParam().workers)) << "a task started past the end";
  EXPECT_LT(ok, commands.size());
  EXPECT_EQ(joblog_lines(spec.joblog).size(), ok) << "every task that finished is logged";
}

TEST_P(Farm, TimeoutEndsTheWholeProcessGroupThenKillsWhatIgnoresTerm) {
  spec.timeout_s = 0.3;
  spec.kill_grace_s = 0.3;
  tasks({"sleep 1000 & echo $! > " + (dir / "bg") + "; sleep 1000", "trap '' TERM; sleep 1000",
         "sleep 0.05"});
  const auto t0 = Clock::now();
  const auto samples = run();
  EXPECT_LT(seconds_between(t0, Clock::now()), 5.0);
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[0].error, ErrorClass::timeout);
  EXPECT_EQ(shell_fields(samples[0]).exit_code, -1);
  EXPECT_EQ(shell_fields(samples[0]).signal, SIGTERM);
  EXPECT_EQ(samples[1].error, ErrorClass::timeout);
  EXPECT_EQ(shell_fields(samples[1]).signal, SIGKILL) << "TERM ignored: SIGKILL after the grace";
  EXPECT_EQ(samples[2].error, ErrorClass::none);
  const pid_t bg = static_cast<pid_t>(std::stol(slurp((dir / "bg"))));
  for (int i = 0; i < 100 && alive(bg); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_FALSE(alive(bg)) << "the timed-out task's background process survived";
  const auto lines = joblog_lines(spec.joblog);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(
      std::count_if(lines.begin(), lines.end(),
                    [](const std::string& l) { return l.find("\t-1\t15\t") != std::string::npos; }),
      1);
}

TEST_P(Farm, RetriesAFailedTaskAndCountsItsAttempts) {
  spec.retries = 2;
  const std::string mark = (dir / "mark");
  tasks(
      {"echo try; if [ -e " + mark + " ]; then exit 0; fi; touch " + mark + "; exit 5", "exit 4"});
  const auto samples = run();
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].error, ErrorClass::none);
  EXPECT_EQ(samples[0].attempts, 2u);
  EXPECT_EQ(slurp(task_log_path(spec.logs_dir, 1, ".out")), "try\ntry\n")
      << "every attempt's output is kept";
  EXPECT_EQ(samples[1].error, ErrorClass::exit_status);
  EXPECT_EQ(samples[1].attempts, 3u);
  EXPECT_EQ(joblog_lines(spec.joblog).size(), 2u) << "one line per task, not per attempt";
}

TEST_P(Farm, HaltNowEndsTheTasksInFlightAndStartsNoMore) {
  spec.halt = *parse_halt_rule("now,fail=1");
  spec.kill_grace_s = 1;
  std::vector<std::string> commands{"exit 1"};
  for (int i = 0; i < 8; ++i) commands.push_back("sleep 30");
  tasks(commands);
  StopFlag stop;
  const auto t0 = Clock::now();
  const auto samples = run(&stop);
  EXPECT_LT(seconds_between(t0, Clock::now()), 10.0);
  EXPECT_EQ(stop.reason(), StopReason::halt_now());
  ASSERT_LE(samples.size(), static_cast<std::size_t>(GetParam().workers));
  EXPECT_EQ(samples[0].error, ErrorClass::exit_status);
  for (std::size_t i = 1; i < samples.size(); ++i) EXPECT_EQ(samples[i].error, ErrorClass::stopped);
  EXPECT_EQ(joblog_lines(spec.joblog).size(), 1u)
      << "a task the halt ended is not finished: resume reruns it";
}

TEST_P(Farm, HaltSoonLetsTheTasksInFlightFinish) {
  spec.halt = *parse_halt_rule("soon,fail=1");
  std::vector<std::string> commands{"exit 1"};
  for (int i = 0; i < 8; ++i) commands.push_back("sleep 0.3");
  tasks(commands);
  StopFlag stop;
  const auto samples = run(&stop);
  EXPECT_EQ(stop.reason(), StopReason::halt_soon());
  ASSERT_LE(samples.size(), static_cast<std::size_t>(GetParam().workers));
  for (std::size_t i = 1; i < samples.size(); ++i) EXPECT_EQ(samples[i].error, ErrorClass::none);
}

TEST_P(Farm, HaltPercentIsOfAllTheTasksAsInParallel) {
  // 10 tasks, the odd ones fail. soon,fail=20%: 2 failures (20% of 10) halt it; one by one, that
  // is task 3. The share of the tasks finished so far (1 of 1, 2 of 3) is not what counts.
  spec.halt = *parse_halt_rule("soon,fail=20%");
  std::vector<std::string> commands;
  for (int i = 1; i <= 10; ++i) commands.push_back("exit " + std::to_string(i % 2));
  tasks(commands);
  StopFlag stop;
  auto samples = run(&stop);
  EXPECT_EQ(stop.reason(), StopReason::halt_soon());
  if (GetParam().workers == 1) {
    EXPECT_EQ(samples.size(), 3u);
  }
  // 30%: 3 failures needed; the first two fail, the rest succeed: no halt, however early they
  // failed.
  spec.halt = *parse_halt_rule("soon,fail=30%");
  commands = {"exit 1", "exit 1"};
  for (int i = 3; i <= 10; ++i) commands.push_back("true");
  tasks(commands);
  std::filesystem::remove(spec.joblog);
  StopFlag stop2;
  samples = run(&stop2);
  EXPECT_FALSE(stop_requested(&stop2));
  EXPECT_EQ(samples.size(), 10u);
}

TEST_P(Farm, AStopSignalReachesTheTasksInFlight) {
  spec.kill_grace_s = 2;
  std::vector<std::string> commands;
  for (int i = 0; i < 10; ++i) commands.push_back("sleep 30");
  tasks(commands);
  StopFlag stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop.request(StopReason::signal(SIGTERM));
  });
  const auto t0 = Clock::now();
  const auto samples = run(&stop);
  stopper.join();
  EXPECT_LT(seconds_between(t0, Clock::now()), 5.0);
  ASSERT_EQ(samples.size(), static_cast<std::size_t>(GetParam().workers));
  for (const Sample& s : samples) {
    EXPECT_EQ(s.error, ErrorClass::stopped);
    EXPECT_EQ(shell_fields(s).signal, SIGTERM);
  }
  EXPECT_TRUE(joblog_lines(spec.joblog).empty());
}

TEST_P(Farm, ATaskTheJobWideStopSignalEndsFirstCountsAsStopped) {
  // A batch system signals every process of the job: the task may die of it just before fanout's
  // own stop arrives. It must rerun on resume, not be logged as failed.
  tasks({"kill -TERM $$", "sleep 30"});
  StopFlag stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    stop.request(StopReason::signal(SIGTERM));
  });
  const auto samples = run(&stop);
  stopper.join();
  ASSERT_GE(samples.size(), 1u);
  EXPECT_EQ(samples[0].error, ErrorClass::stopped);
  EXPECT_TRUE(joblog_lines(spec.joblog).empty());
}

TEST_P(Farm, ATaskKilledByTermWithoutAStopIsAFailure) {
  tasks({"kill -TERM $$"});
  StopFlag stop;
  const auto samples = run(&stop);
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].error, ErrorClass::signaled);
  EXPECT_EQ(joblog_lines(spec.joblog).size(), 1u);
}

TEST_P(Farm, ATaskThatCannotStartFailsWithoutStoppingTheFarm) {
  spec.logs_dir = (dir / "gone");  // never created: no bucket folder can be made in it
  tasks({"true", "true"});
  std::vector<std::string> messages;
  const auto samples = run(nullptr, &messages);
  ASSERT_EQ(samples.size(), 2u);
  for (const Sample& s : samples) {
    EXPECT_EQ(s.error, ErrorClass::not_started);
    EXPECT_EQ(shell_fields(s).exit_code, 127);
  }
  ASSERT_FALSE(messages.empty());
  EXPECT_NE(messages[0].find("cannot create " + (dir / "gone/0")), std::string::npos)
      << messages[0];
}

TEST_P(Farm, ATaskWhoseShellCannotStartFailsAndSaysWhy) {
  spec.workdir = (dir / "gone");
  tasks({"true"});
  std::vector<std::string> messages;
  const auto samples = run(nullptr, &messages);
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].error, ErrorClass::not_started);
  ASSERT_FALSE(messages.empty());
  EXPECT_NE(messages[0].find("cannot start"), std::string::npos) << messages[0];
}

INSTANTIATE_TEST_SUITE_P(Engines, Farm,
                         testing::Values(Engine{Model::serial, 1}, Engine{Model::threads, 3},
                                         Engine{Model::async, 3}),
                         name);

}  // namespace
}  // namespace fanout
