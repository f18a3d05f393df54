// Turns parsed option values into a validated JobSpec; every error names its file:line or flag.
#pragma once

#include <boost/program_options/variables_map.hpp>

#include "cli/origins.hpp"
#include "job/job_spec.hpp"

namespace fanout {

/// Builds the JobSpec from the stored values (command line first, then job file). Throws ConfigError
/// for any value out of range, unknown name, or inconsistent combination.
JobSpec make_job_spec(const boost::program_options::variables_map& vm, const Origins& origins,
                      const std::string& job_file);

/// Parses a comma-separated model list ("serial,threads,processes+threads").
std::vector<Model> parse_models(const std::string& text, const std::string& where);

}  // namespace fanout
