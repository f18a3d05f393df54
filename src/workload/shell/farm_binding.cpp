// The farm's logs and joblog taken on binding: rank 0 first, under the lock, then the others.
#include "workload/shell/farm_binding.hpp"

#include <sys/stat.h>

#include "mpi/agree.hpp"
#include "workload/shell/logs_dir.hpp"

namespace fanout {
namespace {

std::uint64_t file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
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
  // Every rank read the joblog (resume) before rank 0 may write to it.
  world.idle_barrier();
  FarmBinding b;
  const std::string holder = lock_holder(world.host());
  agreed(world, true, [&] {
    make_logs_dir(spec.logs_dir);
    if (spec.joblog.empty()) return;
    // The lock first: what the joblog says is only settled while no other farm writes to it.
    b.lock = std::make_shared<LogLock>(LogLock::lead(spec.joblog, "--shell.joblog", holder));
    if (const std::string why = joblog_restart_refusal(spec); !why.empty()) throw ConfigError(why);
  });
  // Each rank planned from the joblog as it read it: a rank that read it while another farm still
  // appended plans tasks that farm finished, or a plan unlike the other ranks'.
  agreed(world, false, [&] {
    const std::uint64_t now = file_size(spec.joblog);
    if (!spec.joblog.empty() && (spec.resume || spec.resume_failed) && now != read_bytes) {
      throw ConfigError("--shell.joblog " + spec.joblog +
                        ": another farm wrote to it while this one read it (" +
                        std::to_string(read_bytes) + " bytes then, " + std::to_string(now) +
                        " now); run again to resume from what it records now");
    }
  });
  agreed(world, true, [&] {
    if (spec.joblog.empty()) return;
    b.joblog = std::make_shared<JoblogWriter>(spec.joblog, true);
    b.tail = std::make_unique<JoblogTail>(spec.joblog);
  });
  agreed(world, false, [&] {
    if (world.is_root()) return;
    make_logs_dir(spec.logs_dir);
    if (spec.joblog.empty()) return;
    b.lock = std::make_shared<LogLock>(LogLock::join(spec.joblog, "--shell.joblog", holder));
    b.joblog = std::make_shared<JoblogWriter>(spec.joblog, false);
  });
  return b;
}

}  // namespace fanout
