// Which tasks a run runs: the list cut to `count`, less what the joblog records, or a sample of it.
#include "workload/shell/task_plan.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <unordered_set>

#include "cli/config_error.hpp"
#include "cli/text.hpp"
#include "workload/shell/joblog.hpp"

namespace fanout {
namespace {

/// "'ran', the list says 'listed'", control characters shown escaped, from a little before the
/// first byte where they differ when that is far in.
std::string difference(std::string_view ran, std::string_view listed) {
  constexpr std::size_t kContext = 20;
  std::size_t at = 0;
  while (at < ran.size() && at < listed.size() && ran[at] == listed[at]) ++at;
  const std::size_t from = at > kContext ? at - kContext : 0;
  const std::string cut = from > 0 ? "..." : "";
  std::string out = "'" + cut + shown(ran.substr(from)) + "', the list says '" + cut +
                    shown(listed.substr(from)) + "'";
  if (from > 0) out += " (they differ from byte " + std::to_string(at + 1) + ")";
  return out;
}

}  // namespace

TaskPlan::TaskPlan(const std::vector<TaskId>& indices) {
  std::vector<std::uint64_t> bits(indices.empty() ? 0 : indices.back() / 64 + 1, 0);
  for (std::size_t k = 0; k < indices.size(); ++k) {
    if (k > 0 && indices[k] <= indices[k - 1]) {
      throw std::invalid_argument("TaskPlan: list indices must rise (" +
                                  std::to_string(indices[k - 1]) + " then " +
                                  std::to_string(indices[k]) + ")");
    }
    bits[indices[k] / 64] |= std::uint64_t{1} << (indices[k] % 64);
  }
  choose(std::move(bits));
}

TaskPlan TaskPlan::of_bits(std::vector<std::uint64_t> bits) {
  TaskPlan plan(0);
  plan.choose(std::move(bits));
  return plan;
}

void TaskPlan::choose(std::vector<std::uint64_t> bits) {
  auto chosen = std::make_shared<Chosen>();
  std::uint64_t set = 0;
  for (std::size_t w = 0; w < bits.size(); ++w) {
    if (w % Chosen::kBlockWords == 0) chosen->before.push_back(set);
    set += static_cast<std::uint64_t>(std::popcount(bits[w]));
  }
  chosen->bits = std::move(bits);
  size_ = set;
  chosen_ = std::move(chosen);
}

TaskId TaskPlan::Chosen::select(TaskId id) const {
  // The last block with at most id bits before it holds the id-th bit.
  const auto block = std::upper_bound(before.begin(), before.end(), id) - before.begin() - 1;
  std::uint64_t k = id - before[static_cast<std::size_t>(block)];
  for (std::size_t w = static_cast<std::size_t>(block) * kBlockWords; w < bits.size(); ++w) {
    const auto set = static_cast<std::uint64_t>(std::popcount(bits[w]));
    if (k >= set) {
      k -= set;
      continue;
    }
    std::uint64_t word = bits[w];
    for (; k > 0; --k) word &= word - 1;  // drop the lowest k bits set
    return w * 64 + static_cast<TaskId>(std::countr_zero(word));
  }
  throw std::out_of_range("TaskPlan: task " + std::to_string(id) + " of a plan of fewer");
}

TaskPlan plan_tasks(const TaskList& list, const ShellSpec& spec, ResumeState& state) {
  const TaskId size = spec.count > 0 ? std::min<TaskId>(spec.count, list.size()) : list.size();
  state = {};
  if (spec.joblog.empty()) return TaskPlan(size);
  std::error_code absent;
  const auto bytes = std::filesystem::file_size(spec.joblog, absent);
  state.joblog_bytes = absent ? 0 : static_cast<std::uint64_t>(bytes);
  const bool resuming = spec.resume || spec.resume_failed;
  // Per task of the list, how its joblog lines say it ended: as GNU parallel reads a joblog, one
  // line that records it ok makes it done, whatever other lines (--retries, a rerun of a failure,
  // a second run on the same joblog) say.
  enum : std::uint8_t { not_logged, ok, failed };
  std::vector<std::uint8_t> ended(list.size(), not_logged);
  const std::uint64_t entries =
      read_joblog(spec.joblog, [&](const JoblogEntry& e, const std::string& where) {
        if (!resuming) {
          throw ConfigError("--shell.joblog " + spec.joblog +
                            " records tasks of an earlier run; give --resume (run what it lacks), "
                            "--resume-failed (and rerun its failures), or another joblog");
        }
        const std::optional<TaskId> at = list.index_of(e.seq);
        if (!at) {
          // GNU parallel runs a comment or blank line of the file too, and logs it: no task here.
          if (e.seq <= list.seq(list.size() - 1) &&
              (trim(e.command).empty() || trim(e.command).front() == '#')) {
            return;
          }
          throw ConfigError(where + ": task " + std::to_string(e.seq) +
                            ", but the list has no task on "
                            "line " +
                            std::to_string(e.seq) + ": a joblog of another task list");
        }
        const TaskId index = *at;
        // {%} makes the command depend on the slot it ran in; the rest of it cannot be told apart.
        // GNU parallel keeps the carriage return of a CRLF file's line in the command it logs.
        if (!list.uses_slot() && e.command != list.command(index, 1) &&
            e.command != list.parallel_command(index, 1)) {
          throw ConfigError(where + ": task " + std::to_string(e.seq) + " ran " +
                            difference(e.command, list.command(index, 1)) +
                            ": a joblog of another task list");
        }
        if (ended[index] != ok) ended[index] = e.ok() ? ok : failed;
        state.longest_s = std::max(state.longest_s, e.runtime_s);
      });
  if (entries == 0) return TaskPlan(size);
  std::vector<TaskId> pending;
  for (TaskId i = 0; i < list.size(); ++i) {
    if (ended[i] != not_logged) ++state.finished;
    if (ended[i] == failed) ++state.failed;
    const bool done = spec.resume_failed ? ended[i] == ok : ended[i] != not_logged;
    if (i < size && !done) pending.push_back(i);
  }
  return TaskPlan(std::move(pending));
}

TaskPlan sample_tasks(const TaskPlan& plan, TaskId n) {
  const TaskId size = plan.count();
  if (n == 0 || n >= size) return plan;
  // Floyd's algorithm: n distinct positions, each subset equally likely, in O(n). A fixed seed
  // gives the same sample every time (every model of a compare, every point of a study), and
  // unlike every k-th task it does not alias with a list that alternates kinds of command.
  std::mt19937_64 rng(kSampleSeed);
  std::unordered_set<TaskId> chosen;
  chosen.reserve(n);
  for (TaskId j = size - n; j < size; ++j) {
    const TaskId t = std::uniform_int_distribution<TaskId>(0, j)(rng);
    chosen.insert(chosen.count(t) ? j : t);
  }
  std::vector<TaskId> picked(chosen.begin(), chosen.end());
  std::sort(picked.begin(), picked.end());
  for (TaskId& p : picked) p = plan.index(p);
  return TaskPlan(std::move(picked));
}

namespace {

/// The figures before the bitmap: finished, failed, joblog_bytes, longest_s, whole, count.
constexpr std::size_t kPlanHeadWords = 6;

}  // namespace

std::string plan_bytes(const TaskPlan& plan, TaskId list_size, const ResumeState& state) {
  std::uint64_t longest = 0;
  std::memcpy(&longest, &state.longest_s, 8);
  const std::uint64_t head[kPlanHeadWords] = {state.finished,         state.failed,
                                              state.joblog_bytes,     longest,
                                              plan.whole() ? 1u : 0u, plan.count()};
  std::string out(sizeof head + (plan.whole() ? 0 : (list_size + 7) / 8), '\0');
  std::memcpy(out.data(), head, sizeof head);
  if (plan.whole()) return out;
  for (TaskId id = 0; id < plan.count(); ++id) {
    const TaskId i = plan.index(id);
    out[sizeof head + i / 8] = static_cast<char>(out[sizeof head + i / 8] | (1 << (i % 8)));
  }
  return out;
}

TaskPlan plan_from_bytes(std::string_view bytes, TaskId list_size, ResumeState& state) {
  std::uint64_t head[kPlanHeadWords] = {};
  const bool sized = bytes.size() >= sizeof head;
  if (sized) std::memcpy(head, bytes.data(), sizeof head);
  const bool whole = sized && head[4] == 1;
  if (!sized || bytes.size() != sizeof head + (whole ? 0 : (list_size + 7) / 8)) {
    throw std::runtime_error("task plan: " + std::to_string(bytes.size()) +
                             " bytes for a list of " + std::to_string(list_size) + " tasks");
  }
  state.finished = head[0];
  state.failed = head[1];
  state.joblog_bytes = head[2];
  std::memcpy(&state.longest_s, &head[3], 8);
  if (whole) return TaskPlan(head[5]);
  std::vector<std::uint64_t> bits((list_size + 63) / 64, 0);
  for (TaskId i = 0; i < (list_size + 7) / 8; ++i) {
    bits[i / 8] |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[sizeof head + i]))
                   << (8 * (i % 8));
  }
  TaskPlan plan = TaskPlan::of_bits(std::move(bits));
  if (plan.count() != head[5]) {
    throw std::runtime_error("task plan: " + std::to_string(plan.count()) +
                             " tasks in its bitmap, " + std::to_string(head[5]) + " in its count");
  }
  return plan;
}

}  // namespace fanout
