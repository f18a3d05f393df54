// The CPU kernels (fib, primes, triad, noop) and the per-task compute-then-check that runs them.
#include "workload/cpu/kernels.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>

namespace fanout {

std::vector<std::string> cpu_kernel_names() { return {"fib", "primes", "triad", "noop"}; }

namespace kernels {

std::uint64_t fib_recursive(int n) {
  if (n < 2) return n < 0 ? 0 : static_cast<std::uint64_t>(n);
  return fib_recursive(n - 1) + fib_recursive(n - 2);
}

std::uint64_t fib_iterative(int n) {
  std::uint64_t a = 0, b = 1;
  for (int i = 0; i < n; ++i) {
    const std::uint64_t next = a + b;
    a = b;
    b = next;
  }
  return a;
}

bool fib_check(int n, std::uint64_t value) { return value == fib_iterative(n); }

namespace {

bool is_prime_trial(std::uint64_t k) {
  if (k < 2) return false;
  if (k < 4) return true;
  if (k % 2 == 0) return false;
  // d <= k / d rather than d * d <= k: no overflow near 2^64, and the compiler pairs k / d
  // with the k % d below into one division.
  for (std::uint64_t d = 3; d <= k / d; d += 2) {
    if (k % d == 0) return false;
  }
  return true;
}

std::uint64_t isqrt(std::uint64_t x) {
  auto r = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(x)));
  while (r > 0 && r > x / r) --r;
  while ((r + 1) <= x / (r + 1)) ++r;
  return r;
}

}  // namespace

std::uint64_t count_primes_trial(std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t count = 0;
  for (std::uint64_t k = lo; k < hi; ++k) count += is_prime_trial(k) ? 1 : 0;
  return count;
}

std::uint64_t count_primes_sieve(std::uint64_t lo, std::uint64_t hi) {
  if (hi <= lo) return 0;
  const std::uint64_t root = isqrt(hi - 1);
  std::vector<char> base_composite(root + 1, 0);
  std::vector<char> composite(hi - lo, 0);
  for (std::uint64_t p = 2; p <= root; ++p) {
    if (base_composite[p]) continue;
    for (std::uint64_t m = p * p; m <= root; m += p) base_composite[m] = 1;
    const std::uint64_t first = std::max(p * p, (lo + p - 1) / p * p);
    for (std::uint64_t m = first; m < hi; m += p) composite[m - lo] = 1;
  }
  std::uint64_t count = 0;
  for (std::uint64_t k = std::max<std::uint64_t>(lo, 2); k < hi; ++k) {
    count += composite[k - lo] ? 0 : 1;
  }
  return count;
}

bool primes_check(std::uint64_t lo, std::uint64_t hi, std::uint64_t count) {
  return count == count_primes_sieve(lo, hi);
}

void triad_init(TriadArrays& t, std::size_t elements) {
  t.a.assign(elements, 0.0);
  t.b.resize(elements);
  t.c.resize(elements);
  for (std::size_t i = 0; i < elements; ++i) {
    t.b[i] = static_cast<double>(i % 8);
    t.c[i] = static_cast<double>(i % 4);
  }
}

void triad_sweep(TriadArrays& t, double scalar) {
  double* __restrict a = t.a.data();
  const double* __restrict b = t.b.data();
  const double* __restrict c = t.c.data();
  const std::size_t n = t.a.size();
  for (std::size_t i = 0; i < n; ++i) a[i] = b[i] + scalar * c[i];
  // Every sweep writes the same values, so without this barrier the compiler could keep only the
  // last one; the memory clobber makes each sweep's stores observable.
  asm volatile("" : : "g"(a) : "memory");
}

double triad_sweep_sum(TriadArrays& t, double scalar) {
  double* __restrict a = t.a.data();
  const double* __restrict b = t.b.data();
  const double* __restrict c = t.c.data();
  const std::size_t n = t.a.size();
  double sum = 0;
#pragma omp simd reduction(+ : sum)
  for (std::size_t i = 0; i < n; ++i) {
    const double v = b[i] + scalar * c[i];
    a[i] = v;
    sum += v;
  }
  asm volatile("" : : "g"(a) : "memory");
  return sum;
}

namespace {

// Sum over i < n of (i % period), in closed form.
double sum_of_residues(std::size_t n, std::size_t period) {
  const std::size_t full = n / period, rest = n % period;
  const std::size_t per_period = period * (period - 1) / 2;
  const std::size_t partial = rest == 0 ? 0 : rest * (rest - 1) / 2;
  return static_cast<double>(full) * static_cast<double>(per_period) + static_cast<double>(partial);
}

}  // namespace

bool triad_check(const TriadArrays& t, double scalar, double sum) {
  const std::size_t n = t.a.size();
  if (t.b.size() != n || t.c.size() != n) return false;
  if (n == 0) return true;
  constexpr std::size_t kSamples = 64;
  const std::size_t stride = std::max<std::size_t>(1, n / kSamples);
  for (std::size_t i = 0; i < n; i += stride) {
    if (t.a[i] != static_cast<double>(i % 8) + scalar * static_cast<double>(i % 4)) return false;
  }
  if (t.a[n - 1] != static_cast<double>((n - 1) % 8) + scalar * static_cast<double>((n - 1) % 4)) {
    return false;
  }
  return sum == sum_of_residues(n, 8) + scalar * sum_of_residues(n, 4);
}

}  // namespace kernels

namespace {

// Arrays of the calling worker thread: allocated, and so first touched, by the thread that runs
// the triad, and kept for its later tasks. `tasks` varies the scalar from one task to the next
// on a thread, so a task that wrote nothing would fail its check on the previous task's values.
struct TriadState {
  kernels::TriadArrays arrays;
  std::uint64_t tasks = 0;
};
thread_local TriadState triad_state;

[[noreturn]] void throw_triad_allocation_failed(std::size_t elements) {
  throw std::runtime_error("triad: cannot allocate 3 x " +
                           std::to_string(elements * sizeof(double) >> 20) +
                           " MiB for a worker; lower [cpu] array or the workers per node");
}

}  // namespace

CpuTasks::CpuTasks(const CpuSpec& spec) : spec_(spec) {
  if (spec.kernel == "fib") {
    kind_ = Kind::fib;
  } else if (spec.kernel == "primes") {
    kind_ = Kind::primes;
    if (spec.width != 0 && spec.count > std::numeric_limits<std::uint64_t>::max() / spec.width) {
      throw std::invalid_argument("cpu: count * width exceeds 2^64");
    }
  } else if (spec.kernel == "triad") {
    kind_ = Kind::triad;
    // With no sweep a task would leave the previous task's values behind and fail its check.
    if (spec.sweeps < 1) throw std::invalid_argument("cpu: sweeps must be at least 1");
  } else if (spec.kernel == "noop") {
    kind_ = Kind::noop;
  } else {
    throw std::invalid_argument("cpu: unknown kernel '" + spec.kernel + "'");
  }
}

ErrorClass CpuTasks::run(TaskId id) const noexcept {
  try {
    switch (kind_) {
      case Kind::fib:
        return run_fib();
      case Kind::primes:
        return run_primes(id);
      case Kind::triad:
        return run_triad();
      case Kind::noop:
        return ErrorClass::none;
    }
  } catch (...) {
    // Only the triad allocates; running out of memory is this task's failure, not the run's.
    return ErrorClass::exception;
  }
  return ErrorClass::none;
}

ErrorClass CpuTasks::run_fib() const {
  // A volatile read hides n from the optimiser, so it cannot fold fib(n) once for every task.
  volatile int hidden_n = spec_.n;
  const int n = hidden_n;
  return kernels::fib_check(n, kernels::fib_recursive(n)) ? ErrorClass::none
                                                          : ErrorClass::wrong_result;
}

ErrorClass CpuTasks::run_primes(TaskId id) const {
  const std::uint64_t lo = id * spec_.width, hi = lo + spec_.width;
  return kernels::primes_check(lo, hi, kernels::count_primes_trial(lo, hi))
             ? ErrorClass::none
             : ErrorClass::wrong_result;
}

std::size_t CpuTasks::triad_elements() const {
  return std::max<std::size_t>(1, spec_.array_bytes / sizeof(double));
}

void CpuTasks::prepare_worker() const {
  if (kind_ != Kind::triad) return;
  const std::size_t elements = triad_elements();
  TriadState& state = triad_state;
  if (state.arrays.a.size() == elements) return;
  try {
    kernels::triad_init(state.arrays, elements);
  } catch (const std::bad_alloc&) {
    throw_triad_allocation_failed(elements);
  } catch (const std::length_error&) {
    throw_triad_allocation_failed(elements);
  }
}

ErrorClass CpuTasks::run_triad() const {
  const std::size_t elements = triad_elements();
  TriadState& state = triad_state;
  if (state.arrays.a.size() != elements) {
    setups_in_tasks_.fetch_add(1, std::memory_order_relaxed);
    kernels::triad_init(state.arrays, elements);
  }
  const double scalar = static_cast<double>(1 + state.tasks++ % 3);
  for (int s = 1; s < spec_.sweeps; ++s) kernels::triad_sweep(state.arrays, scalar);
  const double sum = kernels::triad_sweep_sum(state.arrays, scalar);
  return kernels::triad_check(state.arrays, scalar, sum) ? ErrorClass::none
                                                         : ErrorClass::wrong_result;
}

}  // namespace fanout
