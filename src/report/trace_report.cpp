// Builds the Chrome trace of a RunReport: one slice per task, one track per rank and thread.
#include "report/trace_report.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace fanout {
namespace {

using nlohmann::json;

json metadata(const char* name, int pid, int tid, json args) {
  return {{"ph", "M"}, {"name", name}, {"pid", pid}, {"tid", tid}, {"args", std::move(args)}};
}

/// A run's repetitions in trace order: the complete ones, then the one a stop cut short.
std::vector<const Repetition*> sections_of(const ModelRun& run) {
  std::vector<const Repetition*> out;
  for (const auto& rep : run.reps) out.push_back(&rep);
  if (run.partial) out.push_back(&*run.partial);
  return out;
}

/// Ranks in the launch: enough pids per section for the highest rank that appears.
int stride_of(const RunReport& report) {
  int stride = std::max(1, report.env.world_size);
  for (const auto& run : report.runs) {
    for (const Repetition* rep : sections_of(run)) {
      for (const auto& r : rep->per_rank) stride = std::max(stride, r.rank + 1);
      for (const auto& s : rep->samples) stride = std::max(stride, s.rank + 1);
    }
  }
  return stride;
}

}  // namespace

json trace_document(const RunReport& report) {
  const RecordFields fields = report.job.workload->record_fields();
  const int stride = stride_of(report);
  json events = json::array();
  std::string layout = "pid = section x " + std::to_string(stride) + " + rank; sections:";
  int section = 0;
  for (const auto& run : report.runs) {
    const std::string model = to_string(run.model);
    const std::vector<const Repetition*> reps = sections_of(run);
    for (std::size_t rep = 0; rep < reps.size(); ++rep, ++section) {
      const Repetition& r = *reps[rep];
      const int base_pid = section * stride;
      const int rep_no = static_cast<int>(rep) + 1;
      const std::string label = model + " rep " + std::to_string(rep_no) +
                                (rep == run.reps.size() ? " (cut by a stop)" : "");
      layout += (section ? ", " : " ") + std::to_string(section) + " = " + label;
      std::map<int, std::string> hosts;
      for (const auto& rank : r.per_rank) hosts[rank.rank] = rank.host;
      std::map<int, std::set<int>> threads;  // rank -> threads that ran tasks
      for (const auto& s : r.samples) threads[s.rank].insert(s.worker);
      for (const auto& [rank, _] : hosts) threads[rank];
      for (const auto& [rank, tids] : threads) {
        const int pid = base_pid + rank;
        const std::string host = hosts.count(rank) ? " (" + hosts[rank] + ")" : "";
        events.push_back(metadata("process_name", pid, 0,
                                  {{"name", label + ": rank " + std::to_string(rank) + host}}));
        events.push_back(metadata("process_sort_index", pid, 0, {{"sort_index", pid}}));
        for (int tid : tids) {
          events.push_back(
              metadata("thread_name", pid, tid, {{"name", "thread " + std::to_string(tid)}}));
          events.push_back(metadata("thread_sort_index", pid, tid, {{"sort_index", tid}}));
        }
      }
      for (const auto& s : r.samples) {
        json args = {{"id", s.id},
                     {"status", s.ok() ? std::string("ok") : std::string(to_string(s.error))},
                     {"model", model},
                     {"rep", rep_no}};
        for (const RecordField& f : fields) {
          if (!f.in_trace) continue;
          args[std::string(f.name)] = f.integer ? json(f.as_integer(s)) : json(f.as_real(s));
        }
        events.push_back({{"ph", "X"},
                          {"name", std::to_string(s.id)},
                          {"cat", "task"},
                          {"ts", s.start_s * 1e6},
                          {"dur", s.duration_s * 1e6},
                          {"pid", base_pid + s.rank},
                          {"tid", s.worker},
                          {"args", std::move(args)}});
      }
    }
  }
  return {{"traceEvents", std::move(events)},
          {"displayTimeUnit", "ms"},
          {"otherData",
           {{"fanout_version", std::string(FANOUT_VERSION)},
            {"command", report.command},
            {"job", report.job.name},
            {"pids", layout}}}};
}

std::string render_trace(const RunReport& report) {
  return trace_document(report).dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace fanout
