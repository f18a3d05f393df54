// CpuSpec: the [cpu] section of a job, resolved into plain values.
#pragma once

#include <cstdint>
#include <string>

namespace fanout {

struct CpuSpec {
  std::string kernel = "fib";  ///< fib | primes | triad | noop
  int n = 27;                  ///< fib: the argument of every task
  std::uint64_t count = 30;    ///< number of tasks
  std::uint64_t width =
      20000;  ///< primes: numbers per task (task i counts primes in [i*width, (i+1)*width))
  std::uint64_t array_bytes = 32ull << 20;  ///< triad: bytes of each of the three arrays per worker
  int sweeps = 4;                           ///< triad: sweeps over the arrays per task
};

}  // namespace fanout
