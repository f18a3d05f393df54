// A study's forwarded job arguments, its resolved job, and the checks every point must pass.
#include "study/study_job.hpp"

#include <algorithm>
#include <filesystem>

#include "cli/config_error.hpp"
#include "cli/text.hpp"
#include "cli/units.hpp"
#include "job/job_options.hpp"
#include "run/run_options.hpp"
#include "study/study_analysis.hpp"

namespace fanout {
namespace {

bool set_per_point(const std::string& key) {
  static const std::vector<std::string> keys{"model", "models", "threads", "repeat",
                                             "json",  "csv",    "trace",   "quiet"};
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::string join_counts(const std::vector<int>& v) {
  std::vector<std::string> items;
  for (int x : v) items.push_back(std::to_string(x));
  return join(items, ",");
}

}  // namespace

std::vector<OptionGroup> study_job_groups() {
  std::vector<OptionGroup> out;
  for (OptionGroup g : job_option_groups()) {
    std::erase_if(g.options, [](const OptionSpec& o) { return set_per_point(o.name); });
    out.push_back(std::move(g));
  }
  out.front().title = "Job keys (as in run; forwarded to every point)";
  return out;
}

JobSpec resolve_study_job(const Options& options, StudySpec& spec) {
  std::vector<std::string> job_keys;
  for (const OptionGroup& g : study_job_groups()) {
    for (const OptionSpec& o : g.options) job_keys.push_back(o.name);
  }
  const auto is_job_key = [&](const std::string& key) {
    return std::find(job_keys.begin(), job_keys.end(), key) != job_keys.end();
  };
  std::vector<std::string> base;
  if (!options.positional().empty()) base.push_back(options.positional());
  for (const Options::Given& g : options.given()) {
    if (is_job_key(g.key)) base.insert(base.end(), g.tokens.begin(), g.tokens.end());
  }
  // Resolved once to learn the workload (its weak knob and study defaults), then the arguments
  // are arranged around what the study sets per point.
  const JobSpec first = resolve_run_job(base);
  const std::string knob = first.workload->study().weak.key;
  const bool weak = spec.mode == ScaleMode::weak;
  std::vector<std::string> run_args;
  if (!options.positional().empty()) run_args.push_back(options.positional());
  for (const Options::Given& g : options.given()) {
    if (!is_job_key(g.key)) continue;
    if (weak && g.key == knob) continue;
    run_args.insert(run_args.end(), g.tokens.begin(), g.tokens.end());
  }
  const Model base_model = point_model(spec, *first.workload, 1);
  std::vector<StudyDefault> defaults;
  JobSpec job = resolve_run_job(base, "", [&](const OptionReader& r) {
    for (const StudyDefault& d : first.workload->study().defaults) {
      if (d.only_at && *d.only_at != base_model) continue;
      if (!r.has(d.key)) defaults.push_back(d);
    }
  });
  check_study_models(spec, *job.workload);
  // Each point's model must be valid for the job as `run` sees it (e.g. no processes+async for
  // cpu).
  for (int t : spec.threads) {
    std::vector<std::string> with_model = base;
    with_model.insert(with_model.end(),
                      {"--model", to_string(point_model(spec, *job.workload, t))});
    resolve_run_job(with_model);
  }
  for (const StudyDefault& d : defaults) {
    run_args.insert(run_args.end(), {"--" + d.key, d.value});
    spec.notes.push_back(d.note);
  }
  spec.run_args = std::move(run_args);
  spec.job_args = std::move(base);
  return job;
}

void check_study_models(const StudySpec& spec, const Workload& workload) {
  if (spec.model && !is_distributed(*spec.model) && !threaded(*spec.model)) {
    throw ConfigError("--model '" + to_string(*spec.model) +
                      "': runs one worker whatever the point; scale takes processes, "
                      "processes+threads, threads (with --ranks 1) or processes+async");
  }
  const bool many_ranks = spec.ranks.size() > 1 || spec.ranks[0] != 1;
  if (spec.model == Model::threads && many_ranks) {
    throw ConfigError("--ranks '" + join_counts(spec.ranks) +
                      "': model threads runs on one rank; use --ranks 1, or processes+threads to "
                      "scale ranks and threads together");
  }
  for (int t : spec.threads) {
    const Model m = point_model(spec, workload, t);
    if (!threads_give_workers(m, workload) && t > 1) {
      throw ConfigError(
          "--threads '" + join_counts(spec.threads) + "': the points run " + to_string(m) +
          ", one worker per rank" +
          (event_loop(m) ? " (an event loop, however many tasks it keeps in flight)" : "") +
          "; use --threads 1" + (m == Model::processes ? ", or --model processes+threads" : ""));
    }
  }
}

void read_sweep_options(const OptionReader& r, StudySpec& spec) {
  r.choice<ScaleMode>("mode", spec.mode,
                      {{"strong", ScaleMode::strong}, {"weak", ScaleMode::weak}});
  r.integer("repeat", spec.repeat, 1, 10'000);
  if (r.has("model")) {
    const std::vector<Model> models = parse_model_list(r.raw("model"), r.where("model"));
    if (models.size() != 1) r.fail("model", "a study takes one model for every point");
    spec.model = models.front();
  }
  r.fraction("efficiency-threshold", spec.efficiency_threshold, 0, 1);
  if (!(spec.efficiency_threshold > 0)) {
    r.fail("efficiency-threshold", "must be above 0, such as 0.8 or 80%");
  }
}

std::vector<OptionSpec> host_options() {
  return {{"hosts",
           "mpirun: the hosts to place ranks on, each with how many it takes, e.g. "
           "node01:4,node02:4 (a host's slots fill before the next one's)"},
          {"hostfile",
           "mpirun: an Open MPI hostfile (one host a line, 'node01 slots=4'; a line without "
           "slots takes as many ranks as that host has cores)"}};
}

void read_host_options(const OptionReader& r, StudySpec& spec) {
  if (r.has("hosts") && r.has("hostfile")) {
    throw ConfigError("--hosts/--hostfile: give one of them, not both");
  }
  if (r.has("hosts")) spec.hosts = parse_host_list(r.raw("hosts"), "--hosts");
  if (r.has("hostfile")) {
    spec.hosts = read_hostfile(r.raw("hostfile"), "--hostfile");
    // Job scripts run in the submission directory, scale's points here: absolute serves both.
    spec.hosts.hostfile =
        std::filesystem::absolute(spec.hosts.hostfile).lexically_normal().string();
  }
}

std::vector<int> read_count_list(const OptionReader& r, const std::string& key, int max) {
  const std::string expected =
      "expected comma-separated whole numbers from 1 to " + std::to_string(max) + ", e.g. 1,2,4,8";
  std::vector<int> out;
  for (const std::string& item : split(r.raw(key), ',')) {
    if (item.empty()) r.fail(key, "empty item; " + expected);
    const auto v = parse_integer(item);
    if (!v) r.fail(key, "'" + item + "' is not a whole number; " + expected);
    if (*v < 1 || *v > max) r.fail(key, item + " is out of range; " + expected);
    if (std::find(out.begin(), out.end(), *v) != out.end()) {
      r.fail(key, item + " is listed twice; " + expected);
    }
    out.push_back(static_cast<int>(*v));
  }
  return out;
}

}  // namespace fanout
