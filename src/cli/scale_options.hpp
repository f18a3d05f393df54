// Conversion and validation of `fanout scale`'s own options into a StudySpec; errors name the flag.
#pragma once

#include <string>
#include <vector>

#include <boost/program_options/variables_map.hpp>

#include "study/study_spec.hpp"

namespace fanout {

/// "1,2,4,8" -> {1, 2, 4, 8}. Every item a whole number from 1 to max, none repeated; throws
/// ConfigError naming the flag and the value ("--ranks '1,,2': empty item; ...").
std::vector<int> parse_count_list(const std::string& text, const std::string& flag, int max);

/// The options scale and submit share (mode, repeat, model, efficiency-threshold) into spec.
void apply_sweep_options(const boost::program_options::variables_map& vm, StudySpec& spec);

/// The sweep's options (ranks, threads, mode, repeat, model, efficiency-threshold, out, launcher,
/// quiet). run_args and notes stay empty: the caller fills them from the job options.
StudySpec make_study_spec(const boost::program_options::variables_map& vm);

/// Checks the models of the points against the lists: every point's workers must grow with its
/// ranks and threads (no serial or async; threads only at one rank; processes and
/// processes+async only at one thread). Throws ConfigError naming the flag.
void check_study_models(const StudySpec& spec, WorkloadKind workload);

}  // namespace fanout
