// Tests for the CPU kernels: known values, the checks that catch wrong results, and CpuTasks.
#include "workload/cpu/kernels.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace fanout {
namespace {

using kernels::count_primes_sieve;
using kernels::count_primes_trial;

TEST(FibKernel, KnownValues) {
  EXPECT_EQ(kernels::fib_recursive(0), 0u);
  EXPECT_EQ(kernels::fib_recursive(1), 1u);
  EXPECT_EQ(kernels::fib_recursive(2), 1u);
  EXPECT_EQ(kernels::fib_recursive(10), 55u);
  EXPECT_EQ(kernels::fib_recursive(20), 6765u);
  EXPECT_EQ(kernels::fib_recursive(27), 196418u);
  EXPECT_EQ(kernels::fib_iterative(30), 832040u);
  EXPECT_EQ(kernels::fib_iterative(50), 12586269025u);
  EXPECT_EQ(kernels::fib_iterative(93), 12200160415121876738u);
}

TEST(FibKernel, RecursiveMatchesIterative) {
  for (int n = 0; n <= 25; ++n)
    EXPECT_EQ(kernels::fib_recursive(n), kernels::fib_iterative(n)) << n;
}

TEST(FibKernel, CheckRejectsWrongValues) {
  EXPECT_TRUE(kernels::fib_check(20, 6765));
  EXPECT_FALSE(kernels::fib_check(20, 6764));
  EXPECT_FALSE(kernels::fib_check(20, 0));
  EXPECT_FALSE(kernels::fib_check(0, 1));
}

TEST(PrimesKernel, KnownCounts) {
  EXPECT_EQ(count_primes_trial(0, 100), 25u);
  EXPECT_EQ(count_primes_trial(0, 1000), 168u);
  EXPECT_EQ(count_primes_trial(0, 10000), 1229u);
  EXPECT_EQ(count_primes_trial(100, 200), 21u);
  EXPECT_EQ(count_primes_trial(0, 2), 0u);
  EXPECT_EQ(count_primes_trial(2, 3), 1u);
  EXPECT_EQ(count_primes_trial(7, 7), 0u);
  EXPECT_EQ(count_primes_sieve(0, 100), 25u);
  EXPECT_EQ(count_primes_sieve(0, 10000), 1229u);
  EXPECT_EQ(count_primes_sieve(100, 200), 21u);
  EXPECT_EQ(count_primes_sieve(0, 2), 0u);
  EXPECT_EQ(count_primes_sieve(2, 3), 1u);
  EXPECT_EQ(count_primes_sieve(9, 9), 0u);
  // pi(10^6) = 78498
  EXPECT_EQ(count_primes_sieve(0, 1000000), 78498u);
}

TEST(PrimesKernel, TrialMatchesSieveOnShiftedRanges) {
  for (std::uint64_t lo : {0ull, 1ull, 2ull, 3ull, 4ull, 97ull, 1000ull, 999983ull, 10000000ull}) {
    for (std::uint64_t width : {1ull, 2ull, 17ull, 1000ull}) {
      EXPECT_EQ(count_primes_trial(lo, lo + width), count_primes_sieve(lo, lo + width))
          << lo << "+" << width;
    }
  }
}

TEST(PrimesKernel, CheckRejectsWrongCounts) {
  EXPECT_TRUE(kernels::primes_check(0, 100, 25));
  EXPECT_FALSE(kernels::primes_check(0, 100, 24));
  EXPECT_FALSE(kernels::primes_check(0, 100, 26));
}

TEST(TriadKernel, SweepPassesCheck) {
  kernels::TriadArrays t;
  for (std::size_t n : {1u, 7u, 8u, 1000u, 100003u}) {
    kernels::triad_init(t, n);
    kernels::triad_sweep(t, 3.0);
    const double sum = kernels::triad_sweep_sum(t, 3.0);
    EXPECT_TRUE(kernels::triad_check(t, 3.0, sum)) << n;
    EXPECT_EQ(t.a[n - 1],
              static_cast<double>((n - 1) % 8) + 3.0 * static_cast<double>((n - 1) % 4));
  }
}

TEST(TriadKernel, CheckCatchesStaleOrCorruptResults) {
  kernels::TriadArrays t;
  kernels::triad_init(t, 100003);
  EXPECT_FALSE(kernels::triad_check(t, 3.0, 0.0)) << "no sweep ran";
  const double stale = kernels::triad_sweep_sum(t, 2.0);
  EXPECT_FALSE(kernels::triad_check(t, 3.0, stale)) << "a previous task's values";
  const double sum = kernels::triad_sweep_sum(t, 3.0);
  ASSERT_TRUE(kernels::triad_check(t, 3.0, sum));
  // A wrong value the sweep computed shows in its sum, wherever it is (entry 5 is not among the
  // entries read back: stride n/64 starting at 0).
  EXPECT_FALSE(kernels::triad_check(t, 3.0, sum + 1.0));
  // A sampled entry that does not hold what was computed is caught by the read-back.
  t.a[0] = -1.0;
  EXPECT_FALSE(kernels::triad_check(t, 3.0, sum));
}

TEST(CpuTasks, EveryKernelPassesItsTasks) {
  for (const std::string& name : cpu_kernel_names()) {
    CpuSpec spec;
    spec.kernel = name;
    spec.n = 15;
    spec.count = 6;
    spec.width = 500;
    spec.array_bytes = 64 * 1024;
    spec.sweeps = 2;
    CpuTasks w(spec);
    EXPECT_EQ(w.count(), 6u);
    for (TaskId id = 0; id < w.count(); ++id) EXPECT_EQ(w.run(id), ErrorClass::none) << name << id;
  }
}

TEST(CpuTasks, KernelNamesAreTheFourKernels) {
  EXPECT_EQ(cpu_kernel_names(), (std::vector<std::string>{"fib", "primes", "triad", "noop"}));
}

TEST(CpuTasks, RejectsWhatValidationShouldHaveCaught) {
  CpuSpec spec;
  spec.kernel = "fibonacci";
  EXPECT_THROW(CpuTasks{spec}, std::invalid_argument);
  spec.kernel = "primes";
  spec.count = 1ull << 40;
  spec.width = 1ull << 30;
  EXPECT_THROW(CpuTasks{spec}, std::invalid_argument);
  spec.kernel = "triad";
  spec.count = 1;
  spec.sweeps = 0;
  EXPECT_THROW(CpuTasks{spec}, std::invalid_argument);
}

}  // namespace
}  // namespace fanout
