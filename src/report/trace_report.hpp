// The timeline (--trace FILE): every task as a slice in Chrome's trace event format, which
// Perfetto (ui.perfetto.dev) and chrome://tracing open.
//
// The document is {"traceEvents": [...], "displayTimeUnit": "ms", "otherData": {...}}:
//   - one complete event per task run: {"ph": "X", "name": "<task id>", "cat": "task",
//     "ts": start, "dur": duration, "pid": P, "tid": thread,
//     "args": {"id", "status" ("ok" or the ErrorClass name), "model", "rep" (1-based)}, plus the
//     kind's fields marked for the trace (io: "http_status", "bytes", "retries")}; ts and dur are
//     microseconds from the
//     common start of that repetition (taken on every rank right after a barrier);
//   - metadata events ("ph": "M") naming every process ("<model> rep R: rank N (host)", with
//     "rep R (cut by a stop)" for the repetition a stop signal cut short, ModelRun::partial) and
//     thread ("thread T"), with sort indices so tracks appear in run order.
// Sections: every (model, repetition) of the report has its own range of pids, so repetitions
// and models never share a track: pid = section * stride + rank, where section counts the
// repetitions of the runs in order (run 0 rep 0, run 0 rep 1, ..., run 0's cut one if any,
// run 1 rep 0, ...) and
// stride = the number of ranks. A `run` with one repetition therefore has pid = rank. Every
// section starts at ts 0: times are relative to its own start, not laid end to end.
// A section's slices come sorted by id when it has at most 65,536 tasks, else in blocks of about
// that many, each sorted by id (rank 0 streams the records and never holds them all).
// otherData holds strings only (as the format asks): fanout_version, command, job, and pids, the
// layout in words ("pid = section x 2 + rank; sections: 0 = serial rep 1, 1 = processes rep 1").
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "report/run_report.hpp"

namespace fanout {

/// One section of the trace: a repetition of a run, in the order described above.
struct TraceSection {
  std::size_t run = 0;   ///< index into RunReport::runs
  std::size_t rep = 0;   ///< 0-based repetition; the run's count of complete ones for the cut one
  bool partial = false;  ///< the repetition a stop cut short
  const Repetition* repetition = nullptr;
  int base_pid = 0;
  std::string label;  ///< "serial rep 1", "threads rep 3 (cut by a stop)"
};

/// Pids per section: the launch's ranks, or more when a repetition names a higher rank.
int trace_stride(const RunReport& report);
std::vector<TraceSection> trace_sections(const RunReport& report, int stride);
/// The metadata events naming a section's processes (its ranks that ran tasks or took part) and
/// their threads (`threads`: rank -> threads that ran tasks).
std::vector<nlohmann::json> trace_metadata(const TraceSection& section,
                                           std::map<int, std::set<int>> threads);
/// The slice of one task of a section.
nlohmann::json trace_slice(const RunReport& report, const TraceSection& section, const Sample& s);

/// For each section, the threads that ran its tasks; and its samples, in batches.
using TraceThreads = std::function<std::map<int, std::set<int>>(const TraceSection&)>;
using TraceSamples =
    std::function<void(const TraceSection&, const std::function<void(std::span<const Sample>)>&)>;
/// The document's text, compact, with a trailing newline, given to `put` piece by piece (a
/// section's samples need not be in memory at once), of the threads and samples the callbacks
/// give for each section (RecordFiles: from its spool).
void write_trace(const RunReport& report, int stride, const TraceThreads& threads,
                 const TraceSamples& samples, const std::function<void(std::string_view)>& put);

}  // namespace fanout
