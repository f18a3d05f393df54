// WorkloadBinding: the job's workload as the launcher sees it — a task count and executors per model.
#pragma once

#include <memory>
#include <string>

#include "app/placement.hpp"
#include "exec/executor.hpp"
#include "job/job_spec.hpp"

namespace fanout {

class WorkloadBinding {
 public:
  virtual ~WorkloadBinding() = default;
  virtual TaskId count() const = 0;
  /// The executor that runs this rank's tasks under `model`, sized by the placement.
  virtual std::unique_ptr<Executor> make_executor(Model model, const Placement& placement) = 0;
  /// One line for the report header, e.g. "fib(27) x 30 tasks".
  virtual std::string describe() const = 0;
};

/// The CPU workload (src/workload/cpu_kernels) bound to the CPU executors.
std::unique_ptr<WorkloadBinding> bind_cpu_workload(const CpuSpec& spec);

/// The I/O workload: the URL plan (with the embedded server's base URL, if any) bound to the curl
/// engines.
std::unique_ptr<WorkloadBinding> bind_io_workload(const IoSpec& spec, const std::string& base_url);

}  // namespace fanout
