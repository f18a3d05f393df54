// The job of a study (scale or submit): which arguments every point's `fanout run` gets, and the
// job they resolve to, checked as `run` would check it at every point.
#pragma once

#include <string>
#include <vector>

#include "cli/options.hpp"
#include "job/job_spec.hpp"
#include "study/study_spec.hpp"

namespace fanout {

/// The job keys a study forwards to its points: every job key but those the study sets per point
/// (model, models, threads, repeat, json, csv, trace, quiet).
std::vector<OptionGroup> study_job_groups();

/// From a study command's parsed options (its job file and the job keys among its flags): fills
/// spec.run_args (forwarded verbatim to every point; in weak mode without the weak knob, which the
/// study sets per point) and spec.job_args (what resolves the job as run sees it), adds the
/// workload's study defaults for keys the job leaves unset (with a note), checks every point's
/// model against the job and the lists, and returns the job. Throws ConfigError.
JobSpec resolve_study_job(const Options& options, StudySpec& spec);

/// Checks the models of the points against the lists: every point's workers must grow with its
/// ranks and threads (no serial or async; threads only at one rank; one-worker models only at
/// one thread). Throws ConfigError naming the flag.
void check_study_models(const StudySpec& spec, const Workload& workload);

/// The options scale and submit share (mode, repeat, model, efficiency-threshold) into spec.
void read_sweep_options(const OptionReader& r, StudySpec& spec);

/// --hosts and --hostfile, which scale and submit share (mpirun only).
std::vector<OptionSpec> host_options();
/// Reads --hosts or --hostfile (not both) into spec.hosts, the hostfile's path made absolute.
/// Throws ConfigError naming the flag, or the file and line.
void read_host_options(const OptionReader& r, StudySpec& spec);

/// "1,2,4,8" -> {1, 2, 4, 8}: every item a whole number from 1 to max, none repeated. Throws
/// ConfigError naming the flag and the value ("--ranks '1,,2': empty item; ...").
std::vector<int> read_count_list(const OptionReader& r, const std::string& key, int max);

}  // namespace fanout
