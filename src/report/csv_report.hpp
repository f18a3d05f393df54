// The joblog (--csv FILE): one CSV row per task run, every run and repetition of the report, its
// rows appended as the records arrive (RecordFiles).
#pragma once

#include <span>
#include <string>

#include "report/run_report.hpp"

namespace fanout {

/// Header line first, then the rows, RFC 4180 quoting where a field needs it, each measurement's
/// rows in the order the measurements were made (model after model within a repetition):
///   run,model,rep,id,rank,host,thread,start_s,duration_s,status,error,attempts,[kind],partial
/// where [kind] are the workload kind's own columns (RecordSpec::fields), none for cpu and
/// for io http_status,bytes,retries,dns_s,connect_s,tls_s,ttfb_s (the phases cumulative, as curl
/// reports them, printed with "%.7g", their own precision).
/// run and rep are 0-based indices (run into the report's runs, rep into that run's repetitions);
/// thread is the worker slot inside the rank (OpenMP thread, event-loop slot); status is "ok" or
/// "failed"; error is the ErrorClass name of a failed task, empty otherwise; attempts counts
/// retries too; start_s is relative to the repetition's common start. Times are seconds printed
/// with "%.9g". host is the name of the rank that ran the task. partial is 1 for the tasks of a
/// repetition a stop signal cut short (ModelRun::partial; rep is then the run's count of
/// complete repetitions), which no statistic of the JSON or the table includes, and 0 otherwise.
/// Appends the rows of `samples`, of repetition `k` of the report's run `r` (`rep` gives the
/// hosts of its ranks; `partial`: the repetition a stop cut short), to `out`.
void append_csv_rows(std::string& out, const RunReport& report, std::size_t r, std::size_t k,
                     const Repetition& rep, std::span<const Sample> samples, bool partial);

/// The header line for a kind with these fields, without its newline.
std::string csv_header(RecordFields fields);

/// One CSV field, quoted (RFC 4180) when it holds a comma, quote or line break.
std::string csv_field(const std::string& s);

}  // namespace fanout
