// Appending the CSV's rows as records arrive, spooling the trace's, and publishing both.
#include "report/record_files.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "report/csv_report.hpp"
#include "report/trace_report.hpp"
#include "report/writer.hpp"

namespace fanout {

namespace {

/// Samples read back from a spool at a time while publishing.
constexpr std::size_t kPublishSamples = 65536;

}  // namespace

RecordFiles::RecordFiles(const JobSpec& job)
    : csv_(!job.run.csv_path.empty()),
      trace_(!job.run.trace_path.empty()),
      csv_path_(job.run.csv_path) {}

PendingFile& RecordFiles::csv_file(const RunReport& report) {
  if (!csv_file_) {
    csv_file_.emplace(csv_path_);
    csv_file_->append(csv_header(report.job.workload->records().fields) + "\n");
    csv_complete_bytes_ = csv_file_->size();
  }
  return *csv_file_;
}

void RecordFiles::add(const RunReport& report, std::size_t run, std::size_t rep, bool partial,
                      std::span<const Sample> samples) {
  Section& section = sections_[Key{run, rep, partial}];
  const ModelRun& model_run = report.runs.at(run);
  const Repetition& repetition = partial ? *model_run.partial : model_run.reps.at(rep);
  if (csv_) {
    PendingFile& file = csv_file(report);
    rows_.clear();  // its capacity stays: one buffer for every batch
    append_csv_rows(rows_, report, run, rep, repetition, samples, partial);
    file.append(rows_);
  }
  if (trace_) {
    if (section.trace_count == 0) section.trace_from = trace_spool_.size();
    trace_spool_.append(samples);
    section.trace_count += samples.size();
    for (const Sample& s : samples) section.threads[s.rank].insert(s.worker);
  }
}

void RecordFiles::end_section(std::size_t run, std::size_t rep, bool partial) {
  sections_[Key{run, rep, partial}].complete = true;
  // Sections arrive one after another, so every row up to here is of a complete one.
  if (csv_file_) csv_complete_bytes_ = csv_file_->size();
}

const RecordFiles::Section* RecordFiles::complete_section(std::size_t run, std::size_t rep,
                                                          bool partial) const {
  const auto it = sections_.find(Key{run, rep, partial});
  return it != sections_.end() && it->second.complete ? &it->second : nullptr;
}

std::vector<RecordFiles::Key> RecordFiles::published_keys(const RunReport& report) const {
  std::vector<Key> keys;
  for (std::size_t r = 0; r < report.runs.size(); ++r) {
    const ModelRun& run = report.runs[r];
    for (std::size_t k = 0; k <= run.reps.size(); ++k) {
      const bool partial = k == run.reps.size();
      if (partial && !run.partial) continue;
      if (complete_section(r, k, partial)) keys.emplace_back(r, k, partial);
    }
  }
  return keys;
}

void RecordFiles::publish_csv(const RunReport& report) {
  if (!csv_ || csv_published_) return;
  csv_file(report).publish(csv_complete_bytes_);
  csv_published_ = true;
}

void RecordFiles::copy_csv_so_far(const RunReport& report) {
  if (!csv_ || csv_published_) return;
  csv_file(report).publish_copy(csv_complete_bytes_);
}

void RecordFiles::publish_trace(const RunReport& report) {
  if (!trace_) return;
  std::vector<Key> keys = published_keys(report);
  if (trace_published_ == keys) return;
  write_produced_atomically(report.job.run.trace_path, [&](const auto& put) {
    std::vector<Sample> buffer;
    write_trace(
        report, trace_stride(report),
        [&](const TraceSection& t) {
          const Section* s = complete_section(t.run, t.rep, t.partial);
          return s ? s->threads : std::map<int, std::set<int>>{};
        },
        [&](const TraceSection& t, const auto& each) {
          const Section* s = complete_section(t.run, t.rep, t.partial);
          if (!s) return;
          for (std::uint64_t done = 0; done < s->trace_count;) {
            buffer.resize(static_cast<std::size_t>(
                std::min<std::uint64_t>(kPublishSamples, s->trace_count - done)));
            trace_spool_.read(s->trace_from + done, buffer);
            each(std::span<const Sample>(buffer));
            done += buffer.size();
          }
        },
        put);
  });
  trace_published_ = std::move(keys);
}

}  // namespace fanout
