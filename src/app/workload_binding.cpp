// The two workloads bound to their executors: CPU kernels to serial/OpenMP/event loop, URLs to curl.
#include "app/workload_binding.hpp"

#include "exec/cpu_executors.hpp"
#include "http/io_executor.hpp"
#include "workload/cpu_kernels.hpp"
#include "workload/io_plan.hpp"

namespace fanout {
namespace {

class CpuBinding : public WorkloadBinding {
 public:
  explicit CpuBinding(const CpuSpec& spec) : spec_(spec), workload_(spec) {}
  TaskId count() const override { return workload_.count(); }
  std::unique_ptr<Executor> make_executor(Model model, const Placement& p) override {
    const CpuWorkload* w = &workload_;
    return make_cpu_executor(
        model, p.threads, [w](TaskId id) { return w->run(id); }, [w] { w->prepare_worker(); });
  }
  std::string describe() const override {
    const std::string n = std::to_string(spec_.count) + " tasks";
    if (spec_.kernel == "fib") return "fib(" + std::to_string(spec_.n) + ") x " + n;
    if (spec_.kernel == "primes") {
      return "primes, " + std::to_string(spec_.width) + " numbers per task, x " + n;
    }
    if (spec_.kernel == "triad") {
      return "triad, 3 x " + std::to_string(spec_.array_bytes >> 20) + " MiB per worker, " +
             std::to_string(spec_.sweeps) + " sweeps, x " + n;
    }
    return spec_.kernel + " x " + n;
  }

 private:
  CpuSpec spec_;
  CpuWorkload workload_;
};

class IoBinding : public WorkloadBinding {
 public:
  IoBinding(const IoSpec& spec, const std::string& base_url) : spec_(spec), plan_(spec, base_url) {}
  TaskId count() const override { return plan_.count(); }
  std::unique_ptr<Executor> make_executor(Model model, const Placement& p) override {
    return make_io_executor(model, p.threads, plan_, spec_);
  }
  std::string describe() const override {
    return std::to_string(plan_.urls().size()) + " URLs x " + std::to_string(spec_.repeat) +
           " = " + std::to_string(plan_.count()) + " requests";
  }

 private:
  IoSpec spec_;
  IoPlan plan_;
};

}  // namespace

std::unique_ptr<WorkloadBinding> bind_cpu_workload(const CpuSpec& spec) {
  return std::make_unique<CpuBinding>(spec);
}

std::unique_ptr<WorkloadBinding> bind_io_workload(const IoSpec& spec, const std::string& base_url) {
  return std::make_unique<IoBinding>(spec, base_url);
}

}  // namespace fanout
