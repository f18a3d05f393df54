// make_io_executor: the I/O engine for a concurrency model.
#pragma once

#include <memory>

#include "exec/executor.hpp"
#include "job/job_spec.hpp"
#include "workload/io_plan.hpp"

namespace fanout {

/// serial, processes -> SerialFetcher; threads, processes+threads -> ThreadsFetcher with `threads`
/// workers capped at spec.concurrency (`threads` < 1: spec.concurrency), so both pools and
/// drivers keep at most io.concurrency requests in flight; async, processes+async -> MultiDriver with
/// spec.concurrency in flight. Where the drivers run (per node or per rank) is decided by the
/// caller. Throws ConfigError for an unusable spec.output_dir.
std::unique_ptr<Executor> make_io_executor(Model model, int threads, const IoPlan& plan,
                                           const IoSpec& spec);

}  // namespace fanout
