// Each task's place from the farm's logs: the joblog says how it ended, the start journals where
// and when it started, the run log and the joblog's lock whether the farm runs and how it stopped.
#include "effects/farm_explain.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "cli/config_error.hpp"
#include "cli/format.hpp"
#include "cli/text.hpp"
#include "launch/stop_request.hpp"
#include "timing/clock.hpp"
#include "workload/shell/log_lock.hpp"
#include "workload/shell/logs_dir.hpp"
#include "workload/shell/shell_spec.hpp"
#include "workload/shell/task_list.hpp"

namespace fanout {
namespace {

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

/// The run whose span holds `epoch_s`: the last that started before it.
const FarmRun* run_at(const FarmFacts& f, double epoch_s) {
  const FarmRun* found = nullptr;
  for (const FarmRun& r : f.runs) {
    if (r.start.epoch_s <= epoch_s) found = &r;
  }
  return found;
}

/// How a run that is over ended, as the tail of a sentence: "stopped at the walltime ...".
std::string how_it_ended(const FarmRun& r) {
  if (!r.end) {
    return "ended without recording its end (killed outright, e.g. SIGKILL to mpirun, or its "
           "node lost)";
  }
  const std::string& how = r.end->how;
  if (how == "walltime") {
    return "stopped at the walltime (no further task would have ended before the allocation)";
  }
  if (how == "halt") return "halted (its --halt rule; the tasks in flight finished)";
  if (how == "halt now") return "halted (its --halt now rule ended the tasks in flight)";
  if (how == "launcher gone") return "lost its launcher (mpirun or srun was killed)";
  if (how == "error") return "ended on an error";
  if (how == "complete") return "completed";
  return "was stopped by " + how;
}

std::string where_of(const TaskStart& s) {
  std::string w = s.host + ", rank " + std::to_string(s.rank) + ", slot " + std::to_string(s.slot);
  if (!s.gpus.empty()) w += ", GPUs " + s.gpus;
  return w;
}

std::string ending_of(const JoblogEntry& e) {
  // GNU parallel logs a timeout as Exitval -1 and the signal that ended it.
  if (e.exit_code == -1) return "timed out (" + signal_name(e.signal) + ")";
  if (e.signal != 0) return "killed by " + signal_name(e.signal);
  return "exit " + std::to_string(e.exit_code);
}

}  // namespace

std::string to_string(TaskState s) {
  switch (s) {
    case TaskState::not_started:
      return "not started";
    case TaskState::running:
      return "running";
    case TaskState::interrupted:
      return "interrupted";
    case TaskState::finished:
      return "finished";
    case TaskState::failed:
      return "failed";
  }
  return "";
}

FarmFacts read_farm_facts(const std::string& logs_dir, std::optional<std::uint64_t> command_of) {
  FarmFacts f;
  f.logs_dir = logs_dir;
  struct stat st {};
  if (::stat(logs_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw ConfigError("farm-explain: " + logs_dir +
                      ": no such directory; give the --logs directory of a farm");
  }
  f.runs = read_farm_runs(logs_dir);
  f.joblog = !f.runs.empty() && !f.runs.back().start.joblog.empty() ? f.runs.back().start.joblog
                                                                    : logs_dir + "/joblog";
  if (f.runs.empty() && !exists(f.joblog) && !exists(start_journal_dir(logs_dir))) {
    throw ConfigError("farm-explain: " + logs_dir +
                      ": not a farm's logs (no runs, joblog or starts in it); give the --logs "
                      "directory of a farm");
  }
  f.running = log_lock_held(f.joblog);
  if (f.running) f.holders = read_lock_holders(LogLock::lock_path(f.joblog));
  f.records = f.runs.empty() ? exists(logs_dir + "/output") : f.runs.back().start.output != "files";

  read_joblog(f.joblog, [&](const JoblogEntry& e, const std::string&) {
    JoblogEntry& kept = f.ended[e.seq] = e;
    if (e.seq != command_of) kept.command.clear();
  });
  const StartJournalScan scan = read_start_journals(logs_dir, [&](const TaskStart& s) {
    TaskStarts& t = f.starts[s.seq];
    if (t.count++ == 0 || s.start_epoch_s >= t.last.start_epoch_s) t.last = s;
  });
  if (scan.skipped > 0) {
    f.notes.push_back(plural(scan.skipped, "line") + " of " + start_journal_dir(logs_dir) +
                      " not of the journal's form, skipped");
  }

  bool listed = false;
  if (!f.runs.empty()) {
    const FarmRunStart& s = f.runs.back().start;
    f.count = s.count;
    ShellSpec spec;
    spec.tasks_file = s.tasks_file;
    spec.command = s.command;
    spec.inputs_file = s.inputs_file;
    try {
      const TaskList list(spec);
      for (TaskId i = 0; i < list.size(); ++i) {
        const std::uint64_t seq = list.seq(i);
        if (s.count == 0 || i < s.count) {
          f.tasks.push_back(seq);
        } else {
          f.outside.insert(seq);
        }
        if (seq == command_of) f.commands[seq] = list.command(i, 1);
      }
      listed = true;
    } catch (const ConfigError& e) {
      f.notes.push_back("cannot read the task list (" + std::string(e.what()) +
                        "): only the tasks the logs name are shown");
    }
  }
  if (!listed) {
    std::set<std::uint64_t> seen;
    for (const auto& [seq, e] : f.ended) seen.insert(seq);
    for (const auto& [seq, s] : f.starts) seen.insert(seq);
    f.tasks.assign(seen.begin(), seen.end());
    if (command_of && f.ended.count(*command_of)) {
      f.commands[*command_of] = f.ended[*command_of].command;
    }
  }
  return f;
}

TaskExplanation explain_task(const FarmFacts& f, std::uint64_t seq) {
  TaskExplanation e;
  e.seq = seq;
  const FarmRun* latest = f.runs.empty() ? nullptr : &f.runs.back();
  if (const auto s = f.starts.find(seq); s != f.starts.end()) {
    e.start = s->second.last;
    e.attempts = s->second.count;
  }
  if (const auto j = f.ended.find(seq); j != f.ended.end()) {
    e.end = j->second;
    e.state = e.end->ok() ? TaskState::finished : TaskState::failed;
    e.earlier_run = latest != nullptr && e.end->start_epoch_s < latest->start.epoch_s;
    e.why = ending_of(*e.end) + " after " + format_seconds(e.end->runtime_s) + " on " +
            e.end->host + (e.earlier_run ? ", in an earlier run (the resume skipped it)" : "");
    return e;
  }
  if (f.outside.count(seq) > 0) {
    e.why = "outside the farm: --count " + std::to_string(f.count) + " runs the first " +
            plural(f.count, "task") + " of the list";
    return e;
  }
  const FarmRun* its_run = e.start ? run_at(f, e.start->start_epoch_s) : nullptr;
  if (e.start && f.running && its_run == latest) {
    e.state = TaskState::running;
    e.why = "since " + utc_iso8601(e.start->start_epoch_s) + " (" +
            format_seconds(std::max(0.0, epoch_now_s() - e.start->start_epoch_s)) + "), attempt " +
            std::to_string(e.start->attempt) + ", on " + where_of(*e.start);
    return e;
  }
  if (e.start) {
    e.state = TaskState::interrupted;
    e.why = "started, no end recorded: " +
            (its_run ? "the farm " + how_it_ended(*its_run) + " while it ran"
                     : std::string("its end is not in the joblog")) +
            "; a --resume runs it again";
    return e;
  }
  if (f.running) {
    e.why = "waiting for a free slot (the farm is running: " +
            (f.holders.empty() ? std::string("its joblog is locked") : f.holders.front()) + ")";
  } else if (latest == nullptr) {
    e.why = "no run of the farm is recorded in " + farm_run_log_path(f.logs_dir);
  } else if (latest->end && latest->end->how == "complete") {
    e.why = "not in the last run's plan (it ran the " + plural(latest->start.planned, "task") +
            " its joblog lacked)";
  } else {
    e.why = "the farm " + how_it_ended(*latest) + " before it started; a --resume runs it";
  }
  return e;
}

std::string output_hint(const FarmFacts& f, std::uint64_t seq) {
  if (f.records) return "fanout farm-output " + f.logs_dir + " --task " + std::to_string(seq);
  return task_log_path(f.logs_dir, seq, ".out") + " and .err";
}

std::string describe_farm(const FarmFacts& f) {
  std::string out = f.logs_dir + ": ";
  if (f.runs.empty()) {
    out += "no run recorded (LOGS/runs)";
  } else {
    const FarmRun& r = f.runs.back();
    out += plural(f.runs.size(), "run") + "; the last started " + utc_iso8601(r.start.epoch_s) +
           " on " + r.start.host + " (" + plural(r.start.ranks, "rank") + ", " +
           plural(r.start.planned, "task") + " planned" +
           (r.start.resume || r.start.resume_failed ? ", resumed" : "") + ")";
    if (f.running) {
      out += ", running now";
    } else if (r.end) {
      out += ", " + how_it_ended(r) + " " + utc_iso8601(r.end->epoch_s) + " (" +
             plural(r.end->done, "task") + " logged, " + std::to_string(r.end->failed) +
             " of them failed)";
    } else {
      out += ", " + how_it_ended(r);
    }
  }
  std::uint64_t ok = 0, failed = 0;
  for (const auto& [seq, e] : f.ended) (e.ok() ? ok : failed)++;
  return out + "; joblog " + f.joblog + ": " + std::to_string(ok) + " finished, " +
         std::to_string(failed) + " failed\n";
}

std::string explain_header() { return "task      state        attempts  why\n"; }

std::string explain_row(const TaskExplanation& e) {
  char head[64];
  std::snprintf(head, sizeof head, "%-9llu %-12s %-9llu ", static_cast<unsigned long long>(e.seq),
                to_string(e.state).c_str(), static_cast<unsigned long long>(e.attempts));
  return head + e.why + "\n";
}

std::string explain_detail(const FarmFacts& f, const TaskExplanation& e) {
  std::string out = "task " + std::to_string(e.seq) + ": " + to_string(e.state) + "\n";
  out += "  why:      " + e.why + "\n";
  if (const auto c = f.commands.find(e.seq); c != f.commands.end()) {
    out += "  command:  " + c->second + "\n";
  }
  out += "  attempts: " + std::to_string(e.attempts) + " started (" +
         start_journal_dir(f.logs_dir) + ")\n";
  if (e.start) {
    out += "  last:     attempt " + std::to_string(e.start->attempt) + " started " +
           utc_iso8601(e.start->start_epoch_s) + " on " + where_of(*e.start) + "\n";
  }
  if (e.end) {
    out += "  ended:    " + ending_of(*e.end) + ", started " + utc_iso8601(e.end->start_epoch_s) +
           ", ran " + format_seconds(e.end->runtime_s) + ", " + std::to_string(e.end->received) +
           " bytes of stdout (" + f.joblog + ")\n";
    out += "  output:   " + output_hint(f, e.seq) + "\n";
  } else if (e.state == TaskState::running) {
    out += "  output:   " + output_hint(f, e.seq) + " (once an attempt ends)\n";
  } else if (e.state == TaskState::interrupted) {
    out += "  output:   " + output_hint(f, e.seq) +
           " (what the cut attempt printed, if its rank lived to keep it)\n";
  }
  return out;
}

nlohmann::json to_json(const FarmFacts& f, const TaskExplanation& e) {
  nlohmann::json j = {
      {"task", e.seq}, {"state", to_string(e.state)}, {"why", e.why}, {"attempts", e.attempts}};
  if (e.start) {
    j["last_start"] = {{"attempt", e.start->attempt}, {"host", e.start->host},
                       {"rank", e.start->rank},       {"slot", e.start->slot},
                       {"gpus", e.start->gpus},       {"epoch_s", e.start->start_epoch_s}};
  }
  if (e.end) {
    j["end"] = {{"exit_code", e.end->exit_code}, {"signal", e.end->signal},
                {"host", e.end->host},           {"start_epoch_s", e.end->start_epoch_s},
                {"runtime_s", e.end->runtime_s}, {"earlier_run", e.earlier_run}};
    j["output"] = output_hint(f, e.seq);
  }
  return j;
}

}  // namespace fanout
