// The task-record budget: for a kind whose every task run's Sample stays at rank 0 until the report
// is written, a task count far past memory would end in std::bad_alloc hours later unless refused
// up front. Other kinds hold nothing per task and pass any count.
#include "run/task_budget.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "cli/config_error.hpp"
#include "cli/format.hpp"
#include "exec/record.hpp"
#include "workload/workload.hpp"

namespace fanout {
namespace {

/// Of the memory, the share task records may take; the rest is for everything else.
constexpr double kRecordShare = 0.8;

}  // namespace

bool keeps_task_records(const JobSpec& job) { return job.workload->keeps_records(); }

std::uint64_t bytes_per_task_run(const JobSpec& job) {
  return keeps_task_records(job) ? 2 * sizeof(Sample) : 0;
}

std::uint64_t measured_models(const RunCommand& cmd) {
  const RunSpec& run = cmd.job.run;
  std::vector<Model> models{run.model};
  if (cmd.compare) models = run.models.empty() ? cmd.job.workload->compare_models() : run.models;
  const bool serial_listed = std::find(models.begin(), models.end(), Model::serial) != models.end();
  return models.size() + (cmd.base.mode == BaseOption::Mode::measure && !serial_listed ? 1 : 0);
}

std::uint64_t usable_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGE_SIZE);
  std::uint64_t bytes = pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * page : 0;
  std::ifstream cgroup("/sys/fs/cgroup/memory.max");
  std::uint64_t limit = 0;
  if (cgroup >> limit && limit > 0) bytes = bytes == 0 ? limit : std::min(bytes, limit);
  return bytes;
}

void check_task_budget(const RunCommand& cmd, std::uint64_t tasks, std::uint64_t memory_bytes) {
  if (memory_bytes == 0) return;
  const RunSpec& run = cmd.job.run;
  const std::uint64_t models = measured_models(cmd);
  const std::uint64_t per_run = bytes_per_task_run(cmd.job);
  if (per_run == 0) return;
  const auto budget = static_cast<std::uint64_t>(static_cast<double>(memory_bytes) * kRecordShare);
  const std::uint64_t fit = budget / per_run;
  const long double wanted = static_cast<long double>(tasks) * run.repeat * models;
  if (wanted <= static_cast<long double>(fit)) return;
  const std::string runs = std::to_string(tasks) + " tasks x " + std::to_string(run.repeat) +
                           " repetitions x " + std::to_string(models) + " models";
  throw ConfigError(cmd.job.size_origin + ": " + runs + " would keep about " +
                    format_bytes(static_cast<std::uint64_t>(wanted * per_run)) +
                    " of task records at rank 0 (" + std::to_string(per_run) +
                    " bytes each), more than " +
                    format_bytes(budget) + " (80 % of this node's " + format_bytes(memory_bytes) +
                    "); at most " + std::to_string(fit) +
                    " task runs (tasks x repetitions x models) fit: use fewer tasks or repetitions");
}

}  // namespace fanout
