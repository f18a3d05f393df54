// The farm's logs and joblog taken on binding: rank 0 first, under the lock, then the others.
#include "workload/shell/farm_binding.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <optional>
#include <string>

#include "cli/text.hpp"
#include "launch/process.hpp"
#include "mpi/agree.hpp"
#include "workload/rank_log.hpp"
#include "workload/shell/logs_dir.hpp"

namespace fanout {
namespace {

/// How long rank 0 waits for PBS's qstat to say when the job ends; without an answer the farm
/// runs without a walltime.
constexpr double kQstatTimeout_s = 5;

/// The size of the regular file at `path`; 0 for anything else (a joblog path that is not a
/// regular file is refused before the lock is taken).
std::uint64_t file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)
             ? static_cast<std::uint64_t>(st.st_size)
             : 0;
}

/// bind_farm_logs, filling `b` as it goes (so that a failure can discard the lock it took).
void bind_farm_logs_into(World& world, const ShellSpec& spec, std::uint64_t read_bytes,
                         FarmBinding& b) {
  // The joblog was read (resume: by rank 0, for every rank) before rank 0 may write to it.
  world.idle_barrier();
  const std::string holder = lock_holder(world.host());
  agreed(world, true, [&] {
    // The lock first: what the joblog says is only settled while no other farm writes to it.
    const auto take = [&] {
      std::error_code unknown;
      const auto status = std::filesystem::status(spec.joblog, unknown);
      if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
        throw ConfigError("--shell.joblog " + spec.joblog +
                          ": not a regular file; give the path of a file (made when missing)");
      }
      b.lock = std::make_shared<LogLock>(LogLock::lead(spec.joblog, "--shell.joblog", holder));
      if (const std::string why = joblog_restart_refusal(spec); !why.empty()) {
        throw ConfigError(why);
      }
    };
    // Refused before the logs directory is made, unless the joblog lives there and it is new.
    const std::filesystem::path dir = std::filesystem::path(spec.joblog).parent_path();
    std::error_code absent;
    if (!spec.joblog.empty() && std::filesystem::is_directory(dir.empty() ? "." : dir, absent)) {
      take();
    }
    make_logs_dir(spec.logs_dir);
    if (!spec.joblog.empty() && !b.lock) take();
  });
  // The plan is what rank 0 read in the joblog: had another farm appended since, this one would
  // run again what that farm finished.
  agreed(world, false, [&] {
    const std::uint64_t now = file_size(spec.joblog);
    if (!spec.joblog.empty() && (spec.resume || spec.resume_failed) && now != read_bytes) {
      throw ConfigError("--shell.joblog " + spec.joblog +
                        ": another farm wrote to it while this one read it (" +
                        std::to_string(read_bytes) + " bytes then, " + std::to_string(now) +
                        " now); run again to resume from what it records now");
    }
  });
  // A task's output records are durable before its joblog line leaves its rank (or, on rank 0,
  // is written): the records are opened below, before any task posts a line.
  auto records = std::make_shared<std::shared_ptr<RankOutputLog>>();
  const std::function<bool()> sync_records = [records] { return !*records || (*records)->sync(); };
  auto log = std::make_shared<RankLog>();
  agreed(world, true, [&] {
    if (spec.joblog.empty()) return;
    b.counts = std::make_shared<JoblogCounts>();
    log->open(spec.joblog, "--shell.joblog", joblog_header(), sync_records,
              [counts = b.counts](std::string_view lines) { counts->add(lines); });
  });
  agreed(world, false, [&] {
    if (world.is_root()) return;
    make_logs_dir(spec.logs_dir);
    if (spec.joblog.empty()) return;
    b.lock = std::make_shared<LogLock>(LogLock::join(spec.joblog, "--shell.joblog", holder));
  });
  if (spec.output == FarmOutput::records) {
    agreed(world, false, [&] {
      make_logs_dir(output_records_dir(spec.logs_dir));
      b.output = std::make_shared<RankOutputLog>(output_records_path(spec.logs_dir, world.rank()));
      *records = b.output;
    });
  }
  if (spec.joblog.empty()) return;
  log->connect(world, sync_records);
  b.joblog = std::make_shared<JoblogWriter>(std::move(log));
}

}  // namespace

std::string joblog_restart_refusal(const ShellSpec& spec) {
  if (spec.joblog.empty() || spec.resume || spec.resume_failed ||
      file_size(spec.joblog) <= joblog_header().size() + 1) {
    return "";
  }
  return "--shell.joblog " + spec.joblog +
         ": it records tasks of an earlier run; give --shell.resume (run what it lacks), "
         "--shell.resume-failed (and rerun its failures), or another joblog";
}

FarmBinding bind_farm_logs(World& world, const ShellSpec& spec, std::uint64_t read_bytes) {
  FarmBinding b;
  try {
    bind_farm_logs_into(world, spec, read_bytes, b);
    return b;
  } catch (...) {
    // A farm refused (bad input, a joblog of an earlier run) leaves no lock file it made.
    if (b.lock) b.lock->discard();
    throw;
  }
}

std::vector<std::string> bind_farm_gpus(World& world, const ShellSpec& spec,
                                        const std::function<NodeGpus()>& detect) {
  std::vector<std::string> mine;
  if (spec.gpus_per_task == 0) return mine;
  agreed(world, false, [&] {
    const NodeGpus node = detect();
    const std::string flag = "--shell.gpus-per-task " + std::to_string(spec.gpus_per_task);
    const int have = static_cast<int>(node.ids.size());
    if (have == 0) {
      throw ConfigError(flag + ": no GPU found on " + world.host() +
                        (node.source.empty() ? " (CUDA_VISIBLE_DEVICES, SLURM_STEP_GPUS and "
                                               "SLURM_JOB_GPUS unset, nvidia-smi -L lists none)"
                                             : " (" + node.source + ")") +
                        "; run where the tasks' GPUs are, or leave it 0");
    }
    const std::string from = " (" + node.source + ")";
    if (spec.gpus_per_task > have) {
      throw ConfigError(flag + ": " + world.host() + " has " + plural(have, "GPU") + from +
                        "; give at most " + std::to_string(have));
    }
    mine = rank_share(node.ids, world.node_rank(), world.node_size());
    const int share = static_cast<int>(mine.size());
    if (share < spec.gpus_per_task) {
      throw ConfigError(flag + ": " + world.host() + " has " + plural(have, "GPU") + from +
                        " for its " + plural(world.node_size(), "rank") + ", " +
                        std::to_string(share) + " for rank " + std::to_string(world.rank()) +
                        "; run fewer ranks per node (one rank with more slots shares them all)");
    }
    if (spec.slots > share / spec.gpus_per_task) {
      throw ConfigError("--shell.slots " + std::to_string(spec.slots) + ": rank " +
                        std::to_string(world.rank()) + " on " + world.host() + " has " +
                        plural(share, "GPU") + from + ", enough for " +
                        plural(share / spec.gpus_per_task, "task") + " at once with " + flag +
                        "; give at most that many slots");
    }
  });
  return mine;
}

std::shared_ptr<WalltimeGate> bind_farm_walltime(
    World& world, const ShellSpec& spec, double longest_s,
    const std::function<const char*(const char*)>& get) {
  // A sample that measures the farm (no joblog) is timed whole, not cut at walltime.
  if (spec.joblog.empty()) return nullptr;
  std::optional<AllocationEnd> end;
  agreed(world, true, [&] {
    end = allocation_end(get, [](const std::string& job) {
      const ProcessResult r = run_process({"qstat", "-f", job}, "", "", kQstatTimeout_s);
      return r.started && !r.timed_out && r.exit_code == 0 ? r.output : std::string();
    });
  });
  // Whole seconds since 1970 and the variable's name: one string from rank 0.
  const std::string said = world.bcast_string(
      end ? std::to_string(static_cast<long long>(end->epoch_s)) + " " + end->source : "");
  if (said.empty()) return nullptr;
  const auto space = said.find(' ');
  const AllocationEnd agreed_end{std::stod(said.substr(0, space)), said.substr(space + 1)};
  return std::make_shared<WalltimeGate>(agreed_end, spec.time_request_s, longest_s);
}

}  // namespace fanout
