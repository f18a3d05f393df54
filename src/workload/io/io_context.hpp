// IoContext: what every I/O engine's work and transfer reads, gathered to be passed once.
#pragma once

#include <memory>

#include "workload/io/body_file.hpp"
#include "workload/io/host_gate.hpp"
#include "workload/io/io_spec.hpp"
#include "workload/io/open_loop.hpp"
#include "workload/io/staging.hpp"
#include "workload/io/url_plan.hpp"

namespace fanout {

/// The I/O job's dependencies, made once by its bound workload and copied into each engine's
/// work; everything it names outlives the executor.
struct IoContext {
  /// The URL list the tasks index.
  const UrlPlan& plan;
  /// The [io] options, with this rank's part of the per-host cap.
  const IoSpec& spec;
  /// Where bodies are saved (io.output without io.download); null: counted and discarded.
  const BodyDir* bodies = nullptr;
  /// io.download: every task is a download into this directory; null otherwise.
  const StagingDir* staging = nullptr;
  /// Paces requests per host and holds a host back after its 429 or 503; may be null.
  HostGate* gate = nullptr;
  /// Open loop (io.rate): hands out each request's intended start; null in a closed-loop run.
  std::shared_ptr<Pacer> pacer = nullptr;
};

}  // namespace fanout
