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
// otherData holds strings only (as the format asks): fanout_version, command, job, and pids, the
// layout in words ("pid = section x 2 + rank; sections: 0 = serial rep 1, 1 = processes rep 1").
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "report/run_report.hpp"

namespace fanout {

/// The document described above.
nlohmann::json trace_document(const RunReport& report);
/// trace_document(report) in compact form, with a trailing newline.
std::string render_trace(const RunReport& report);

}  // namespace fanout
