// [cpu]: its options, what it means to placement, studies and reports, and its tasks bound to the
// engines.
#include "workload/cpu/cpu_workload.hpp"

#include <algorithm>
#include <cmath>

#include "cli/format.hpp"
#include "cli/text.hpp"
#include "exec/engines.hpp"
#include "exec/function_work.hpp"
#include "workload/cpu/cpu_spec.hpp"
#include "workload/cpu/kernels.hpp"

namespace fanout {
namespace {

/// STREAM's count for the triad: b and c read, a written, 8 bytes each, per element per sweep.
constexpr double kTriadBytesPerElement = 3 * sizeof(double);

class CpuBound : public BoundWorkload {
 public:
  explicit CpuBound(const CpuSpec& spec) : tasks_(spec) {}
  TaskId count() const override { return tasks_.count(); }
  std::unique_ptr<Executor> make_executor(Model model, const RankPart& part) override {
    const CpuTasks* t = &tasks_;
    const auto work = [t] {
      return std::make_unique<FunctionWork>([t](TaskId id) { return t->run(id); },
                                            [t] { t->prepare_worker(); });
    };
    return make_engine(model, part.workers, count(),
                       {[work](int) -> std::unique_ptr<BlockingWork> { return work(); },
                        [work]() -> std::unique_ptr<SlotWork> { return work(); }});
  }

 private:
  CpuTasks tasks_;
};

class CpuWorkload : public Workload {
 public:
  explicit CpuWorkload(CpuSpec spec) : spec_(std::move(spec)) {}

  std::string_view kind() const override { return "cpu"; }

  nlohmann::json to_json() const override {
    return {{"kernel", spec_.kernel},
            {"n", spec_.n},
            {"count", spec_.count},
            {"width", spec_.width},
            {"array_bytes", spec_.array_bytes},
            {"sweeps", spec_.sweeps}};
  }

  std::string describe(std::optional<std::uint64_t> tasks) const override {
    std::string out = "cpu, kernel " + spec_.kernel;
    if (spec_.kernel == "fib") out += " n=" + std::to_string(spec_.n);
    if (spec_.kernel == "primes") out += " width=" + std::to_string(spec_.width);
    if (spec_.kernel == "triad") out += " arrays=" + format_bytes(spec_.array_bytes);
    if (!tasks) return out;
    if (spec_.kernel == "triad") out += " sweeps=" + std::to_string(spec_.sweeps);
    return out + ", " + plural(*tasks, "task");
  }

  ModelSupport models() const override {
    return {
        {Model::serial, Model::threads, Model::async, Model::processes, Model::processes_threads},
        {{Model::processes_async,
          "processes+async applies to workload = io; for cpu use processes+threads"}}};
  }

  StudyHints study() const override { return {{"cpu.count", spec_.count, "tasks"}, {}, {}}; }

  RecordSpec records() const override {
    return {{}, {ErrorClass::wrong_result, ErrorClass::exception}, nullptr};
  }

  KindSummary summarise(const FigureInput& in) const override {
    if (spec_.kernel != "triad") return {};
    // Bytes the kernel itself moves in the median repetition's successful tasks, STREAM's way;
    // the check that follows each task (one more read of a) is not counted.
    const auto done = static_cast<double>(in.median_ok);
    const double elements =
        static_cast<double>(std::max<std::uint64_t>(1, spec_.array_bytes / sizeof(double)));
    const double bytes = done * spec_.sweeps * elements * kTriadBytesPerElement;
    const double nan = std::nan("");
    KindSummary out;
    out.figures = {
        {"bytes_moved", "", bytes, Figure::Unit::count},
        {"gigabytes_per_s", "GB/s", in.median_wall_s > 0 ? bytes / in.median_wall_s / 1e9 : nan,
         Figure::Unit::gigabytes_per_second}};
    return out;
  }

  std::unique_ptr<BoundWorkload> bind(World&) const override {
    return std::make_unique<CpuBound>(spec_);
  }

 private:
  CpuSpec spec_;
};

class CpuType : public WorkloadType {
 public:
  std::string_view name() const override { return "cpu"; }

  OptionGroup options() const override {
    return {"[cpu] CPU-bound workload",
            {{"cpu.kernel",
              "fib (naive recursive Fibonacci) | primes (count primes per range: irregular cost) | "
              "triad (STREAM triad: memory-bound) | noop (scheduling overhead)"},
             {"cpu.n", "fib: the n of every task (default 27)"},
             {"cpu.count", "number of tasks (default 30)"},
             {"cpu.width", "primes: numbers per task; task i scans [i*width, (i+1)*width)"},
             {"cpu.array", "triad: size of each of the 3 arrays per worker, e.g. 32MiB"},
             {"cpu.sweeps", "triad: sweeps over the arrays per task (default 4)"}}};
  }

  std::shared_ptr<const Workload> read(const OptionReader& r) const override {
    CpuSpec spec;
    std::vector<std::pair<std::string, std::string>> kernels;
    for (const std::string& k : cpu_kernel_names()) kernels.emplace_back(k, k);
    r.choice("cpu.kernel", spec.kernel, kernels);
    r.integer("cpu.n", spec.n, 1, 92);
    r.integer("cpu.count", spec.count, 1, 1'000'000'000);
    r.integer("cpu.width", spec.width, 1, 1'000'000'000);
    r.bytes("cpu.array", spec.array_bytes, 1024, 1ull << 40);
    r.integer("cpu.sweeps", spec.sweeps, 1, 1'000'000);
    return std::make_shared<CpuWorkload>(std::move(spec));
  }
};

}  // namespace

const WorkloadType& cpu_workload_type() {
  static const CpuType type;
  return type;
}

}  // namespace fanout
