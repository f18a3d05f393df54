// Conversion and validation of `fanout submit`'s own options into a BatchSpec; errors name the
// flag.
#pragma once

#include <boost/program_options/variables_map.hpp>

#include "batch/batch_spec.hpp"

namespace fanout {

/// Everything but the job: scheduler, nodes, ranks-per-node, threads, time, partition, account,
/// array, exclusive, module, setup, launcher, template-dir, mode, repeat, model,
/// efficiency-threshold, out, dry-run. study.run_args and study.notes stay empty.
BatchSpec make_batch_spec(const boost::program_options::variables_map& vm);

/// The study points' rank counts: every distinct nodes x ranks-per-node product, ascending.
std::vector<int> batch_rank_counts(const BatchSpec& spec);

}  // namespace fanout
