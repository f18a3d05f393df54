// The option schema: one options_description per INI section, shared by the command line and job files.
#pragma once

#include <boost/program_options/options_description.hpp>

namespace fanout {

/// Job keys: top-level ones (model, threads, ...) and the [cpu] and [io] sections, named as on the
/// command line without the dashes ("cpu.n"), so `[cpu] n = 30` in a file is `--cpu.n 30`.
const boost::program_options::options_description& job_options();

/// Options of `run` and `compare` that only make sense on the command line (help, base case).
const boost::program_options::options_description& invocation_options();

/// Options of `fanout scale` that describe the sweep (ranks, threads, mode, ...).
const boost::program_options::options_description& scale_options();

/// The job keys `fanout scale` forwards to every point's `fanout run`: job_options() without the
/// ones the sweep sets per point (model, threads, repeat, output files, quiet).
const boost::program_options::options_description& scale_job_options();

/// Options of `fanout submit` that describe the batch study (scheduler, nodes, time, ...).
const boost::program_options::options_description& submit_options();

/// Options of `fanout serve`.
const boost::program_options::options_description& serve_options();

}  // namespace fanout
