// make_io_executor: the I/O engine of each model, curl transfers plugged into the engine layer.
#pragma once

#include <memory>

#include "exec/executor.hpp"
#include "exec/model.hpp"
#include "workload/io/body_file.hpp"
#include "workload/io/host_gate.hpp"
#include "workload/io/io_spec.hpp"
#include "workload/io/staging.hpp"
#include "workload/io/url_plan.hpp"

namespace fanout {

/// serial, processes: the serial loop with one blocking easy handle; threads, processes+threads:
/// the OpenMP pool of min(workers, concurrency) threads, one handle each; async,
/// processes+async: the event loop with `workers` slots of curl transfers on one multi handle.
/// `plan`, `spec` and `bodies` (null: bodies are discarded) must outlive the executor.
/// `staging` (non-null with io.download) makes every task a download into its directory.
std::unique_ptr<Executor> make_io_executor(Model model, int workers, const UrlPlan& plan,
                                           const IoSpec& spec, const BodyDir* bodies,
                                           const StagingDir* staging = nullptr,
                                           HostGate* gate = nullptr);

}  // namespace fanout
