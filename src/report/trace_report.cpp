// The Chrome trace of a RunReport: one slice per task, one track per rank and thread.
#include "report/trace_report.hpp"

#include <algorithm>

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

}  // namespace

int trace_stride(const RunReport& report) {
  int stride = std::max(1, report.env.world_size);
  for (const auto& run : report.runs) {
    for (const Repetition* rep : sections_of(run)) {
      for (const auto& r : rep->per_rank) stride = std::max(stride, r.rank + 1);
      // Ranks that ran tasks, as the tally saw them.
      for (const auto& [rank, busy] : rep->tally.busy_by_worker) {
        stride = std::max(stride, rank + 1);
      }
    }
  }
  return stride;
}

std::vector<TraceSection> trace_sections(const RunReport& report, int stride) {
  std::vector<TraceSection> out;
  for (std::size_t r = 0; r < report.runs.size(); ++r) {
    const ModelRun& run = report.runs[r];
    const std::vector<const Repetition*> reps = sections_of(run);
    for (std::size_t k = 0; k < reps.size(); ++k) {
      TraceSection t;
      t.run = r;
      t.rep = k;
      t.partial = k == run.reps.size();
      t.repetition = reps[k];
      t.base_pid = static_cast<int>(out.size()) * stride;
      t.label = to_string(run.model) + " rep " + std::to_string(k + 1) +
                (t.partial ? " (cut by a stop)" : "");
      out.push_back(std::move(t));
    }
  }
  return out;
}

std::vector<json> trace_metadata(const TraceSection& section,
                                 std::map<int, std::set<int>> threads) {
  std::map<int, std::string> hosts;
  for (const auto& rank : section.repetition->per_rank) hosts[rank.rank] = rank.host;
  for (const auto& [rank, _] : hosts) threads[rank];
  std::vector<json> events;
  for (const auto& [rank, tids] : threads) {
    const int pid = section.base_pid + rank;
    const std::string host = hosts.count(rank) ? " (" + hosts[rank] + ")" : "";
    events.push_back(metadata("process_name", pid, 0,
                              {{"name", section.label + ": rank " + std::to_string(rank) + host}}));
    events.push_back(metadata("process_sort_index", pid, 0, {{"sort_index", pid}}));
    for (int tid : tids) {
      events.push_back(
          metadata("thread_name", pid, tid, {{"name", "thread " + std::to_string(tid)}}));
      events.push_back(metadata("thread_sort_index", pid, tid, {{"sort_index", tid}}));
    }
  }
  return events;
}

json trace_slice(const RunReport& report, const TraceSection& section, const Sample& s) {
  const std::string model = to_string(report.runs[section.run].model);
  json args = {{"id", s.id},
               {"status", s.ok() ? std::string("ok") : std::string(to_string(s.error))},
               {"model", model},
               {"rep", static_cast<int>(section.rep) + 1}};
  for (const RecordField& f : report.job.workload->records().fields) {
    if (!f.in_trace) continue;
    args[std::string(f.name)] = f.integer ? json(f.as_integer(s)) : json(f.as_real(s));
  }
  return {{"ph", "X"},
          {"name", std::to_string(s.id)},
          {"cat", "task"},
          {"ts", s.start_s * 1e6},
          {"dur", s.duration_s * 1e6},
          {"pid", section.base_pid + s.rank},
          {"tid", s.worker},
          {"args", std::move(args)}};
}

namespace {

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json other_data(const RunReport& report, const std::vector<TraceSection>& sections, int stride) {
  std::string layout = "pid = section x " + std::to_string(stride) + " + rank; sections:";
  for (std::size_t i = 0; i < sections.size(); ++i) {
    layout += (i ? ", " : " ") + std::to_string(i) + " = " + sections[i].label;
  }
  return {{"fanout_version", std::string(FANOUT_VERSION)},
          {"command", report.command},
          {"job", report.job.name},
          {"pids", layout}};
}

}  // namespace

void write_trace(const RunReport& report, int stride, const TraceThreads& threads,
                 const TraceSamples& samples, const std::function<void(std::string_view)>& put) {
  const std::vector<TraceSection> sections = trace_sections(report, stride);
  // The document's keys in nlohmann's (sorted) order, as its dump would give them.
  put("{\"displayTimeUnit\":\"ms\",\"otherData\":" + dump(other_data(report, sections, stride)) +
      ",\"traceEvents\":[");
  bool first = true;
  std::string text;
  const auto add = [&](const json& e) {
    if (!first) text += ',';
    first = false;
    text += dump(e);
    if (text.size() >= (std::size_t{1} << 20)) {
      put(text);
      text.clear();
    }
  };
  for (const TraceSection& section : sections) {
    for (const json& e : trace_metadata(section, threads(section))) add(e);
    samples(section, [&](std::span<const Sample> batch) {
      for (const Sample& s : batch) add(trace_slice(report, section, s));
    });
  }
  put(text);
  put("]}\n");
}

}  // namespace fanout
