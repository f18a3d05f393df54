// Conversion and validation of the top-level job keys; each kind reads its own section.
#include "job/job_options.hpp"

#include <filesystem>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

OptionGroup top_level_group() {
  std::string kinds;
  for (const WorkloadType* t : workload_types())
    kinds += (kinds.empty() ? "" : " | ") + std::string(t->name());
  return {kJobGroupTitle,
          {{"name", "job name, shown in reports"},
           {"workload", kinds + " (default " + std::string(workload_types().front()->name()) + ")"},
           {"model", "run: " + model_names() + " (default serial)"},
           {"models", "compare: comma-separated models to run (default: every model that applies)"},
           {"threads",
            "OpenMP threads per rank (default: OMP_NUM_THREADS, else the cores the rank may use, "
            "shared among the ranks of a node for processes+threads)"},
           {"schedule",
            "how ranks share tasks: static (contiguous blocks, remainder spread) | dynamic (ranks "
            "pull chunks from rank 0 as they finish; rank 0 works too) (default static)"},
           {"chunk", "dynamic chunk size in tasks (default: about tasks / (workers * 8))"},
           {"repeat", "repetitions of each measurement; the report gives median and spread"},
           {"json", "write the JSON report to this file"},
           {"csv", "write one row per task (a joblog) to this file"},
           {"trace",
            "write a Chrome trace of every task (one track per rank and thread) to this file; "
            "open it in https://ui.perfetto.dev"},
           {"quiet", "print nothing but errors", OptionSpec::Arity::flag}}};
}

/// A key of another kind's section, given while the job's workload is `kind`.
void refuse_other_sections(const OptionReader& r, const WorkloadType& kind) {
  for (const WorkloadType* other : workload_types()) {
    if (other == &kind) continue;
    for (const OptionSpec& o : other->options().options) {
      if (!r.has(o.name)) continue;
      throw ConfigError(r.where(o.name) + ": [" + std::string(other->name()) +
                        "] key given but workload is " + std::string(kind.name()) +
                        "; set workload = " + std::string(other->name()));
    }
  }
}

}  // namespace

std::vector<OptionGroup> job_option_groups() {
  std::vector<OptionGroup> groups{top_level_group()};
  for (const WorkloadType* t : workload_types()) groups.push_back(t->options());
  return groups;
}

std::vector<std::string> job_group_titles() {
  std::vector<std::string> titles;
  for (const OptionGroup& g : job_option_groups()) titles.push_back(g.title);
  return titles;
}

JobSpec read_job(const Options& options) {
  const OptionReader r = options.reader();
  JobSpec job;
  job.source = options.job_file();
  if (!job.source.empty()) job.name = std::filesystem::path(job.source).stem().string();
  r.text("name", job.name);

  const WorkloadType* kind = workload_types().front();
  if (r.has("workload")) {
    std::vector<std::pair<std::string, const WorkloadType*>> kinds;
    for (const WorkloadType* t : workload_types()) kinds.emplace_back(std::string(t->name()), t);
    r.choice("workload", kind, kinds);
  }
  refuse_other_sections(r, *kind);

  RunSpec& run = job.run;
  std::vector<std::pair<std::string, Model>> models;
  for (Model m : all_models()) models.emplace_back(to_string(m), m);
  r.choice("model", run.model, models);
  if (r.has("models")) run.models = parse_model_list(r.raw("models"), r.where("models"));
  if (r.has("threads") && r.raw("threads") != "auto") r.integer("threads", run.threads, 1, 4096);
  r.choice<Schedule>("schedule", run.schedule,
                     {{"static", Schedule::static_block}, {"dynamic", Schedule::dynamic}});
  r.integer("chunk", run.chunk, 1, 1'000'000'000);
  r.integer("repeat", run.repeat, 1, 10'000);
  r.text("json", run.json_path);
  r.text("csv", run.csv_path);
  r.text("trace", run.trace_path);
  r.boolean("quiet", run.quiet);

  job.workload = kind->read(r);
  job.size_origin = r.located(job.workload->study().weak.key);
  if (const std::string why = model_refusal(*job.workload, run.model); !why.empty()) {
    r.fail("model", why);
  }
  for (Model m : run.models) {
    if (const std::string why = model_refusal(*job.workload, m); !why.empty())
      r.fail("models", why);
  }
  return job;
}

JobSpec job_from_flags(const std::vector<std::string>& args) {
  static const CommandSchema schema{"run", "", job_option_groups(), "", false, {}};
  return read_job(Options::parse(schema, args));
}

}  // namespace fanout
