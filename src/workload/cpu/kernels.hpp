// CPU-bound workloads: the kernels a task runs, each result checked so nothing is optimised away.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "exec/task.hpp"
#include "timing/record.hpp"
#include "workload/cpu/cpu_spec.hpp"

namespace fanout {

/// Kernel names as users write them in `[cpu] kernel`: fib, primes, triad, noop.
std::vector<std::string> cpu_kernel_names();

/// The kernels and their checks as plain functions. CpuTasks::run is compute + check, so a test
/// that feeds a check a wrong value exercises the very path that marks a task wrong_result.
namespace kernels {

/// Naive doubly recursive Fibonacci (the lesson's CPU example); fib(0) = 0, fib(1) = 1.
/// Wraps modulo 2^64 past fib(93), exactly as fib_iterative does.
std::uint64_t fib_recursive(int n);
/// Linear-time Fibonacci, the reference for fib_recursive.
std::uint64_t fib_iterative(int n);
/// True if `value` is fib(n).
bool fib_check(int n, std::uint64_t value);

/// Primes in [lo, hi) by trial division of every number: the irregular-cost kernel.
std::uint64_t count_primes_trial(std::uint64_t lo, std::uint64_t hi);
/// Primes in [lo, hi) by a segmented sieve: the reference for count_primes_trial.
std::uint64_t count_primes_sieve(std::uint64_t lo, std::uint64_t hi);
/// True if `count` is the number of primes in [lo, hi).
bool primes_check(std::uint64_t lo, std::uint64_t hi, std::uint64_t count);

/// One worker's three STREAM arrays, filled by the thread that uses them (first touch).
struct TriadArrays {
  std::vector<double> a;  ///< written by the triad
  std::vector<double> b;  ///< b[i] = i % 8
  std::vector<double> c;  ///< c[i] = i % 4
};
/// Sizes the arrays to `elements` doubles each and fills b and c (a is zeroed).
void triad_init(TriadArrays& t, std::size_t elements);
/// One sweep: a[i] = b[i] + scalar * c[i] for every i.
void triad_sweep(TriadArrays& t, double scalar);
/// The same sweep, also summing every value it writes, in SIMD lanes: the memory-bound loop
/// has arithmetic to spare, so the sum costs no pass over memory of its own (the check used to
/// read the array again, a sixth of a task's time at 4 sweeps).
double triad_sweep_sum(TriadArrays& t, double scalar);
/// True if a holds b + scalar * c: a sample of entries read back and compared one by one, and
/// `sum` (of the last sweep, triad_sweep_sum) against its closed form (the values are small
/// integers, so the sum is exact in any order).
bool triad_check(const TriadArrays& t, double scalar, double sum);

}  // namespace kernels

/// The CPU tasks of a job: `count()` of them, each running the configured kernel once.
/// run() may be called from any number of threads at once.
class CpuTasks {
 public:
  /// Throws std::invalid_argument for an unknown kernel, a primes range past 2^64 or a triad
  /// without sweeps (the job layer validates these first; this guards against a broken caller).
  explicit CpuTasks(const CpuSpec& spec);

  TaskId count() const { return spec_.count; }
  /// Runs task `id` and checks its result: none, or wrong_result if the check failed.
  ErrorClass run(TaskId id) const noexcept;
  /// Sets up the calling thread's per-worker state before it runs tasks: the triad's arrays are
  /// allocated and first-touched here, so that cost stays out of the first measured task. A no-op
  /// for the other kernels and for a thread already set up. Throws std::runtime_error if the
  /// arrays cannot be allocated.
  void prepare_worker() const;
  /// Tasks that had to set up their thread's state themselves because prepare_worker() had not
  /// run on that thread: 0 when every worker was prepared before the clock started.
  std::uint64_t setups_in_tasks() const { return setups_in_tasks_.load(); }

 private:
  enum class Kind { fib, primes, triad, noop };

  ErrorClass run_fib() const;
  ErrorClass run_primes(TaskId id) const;
  ErrorClass run_triad() const;
  std::size_t triad_elements() const;

  CpuSpec spec_;
  Kind kind_;
  mutable std::atomic<std::uint64_t> setups_in_tasks_{0};
};

}  // namespace fanout
