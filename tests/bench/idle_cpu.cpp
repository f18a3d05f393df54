// Benchmark: how much CPU a waiting rank burns (an idle barrier, rank 0's idle dispatcher), as a
// share of the time it waited. Run under mpirun -np 2 or more; printed by rank 0, never asserted.
#include <chrono>
#include <cstdio>
#include <thread>

#include "mpi/dynamic_source.hpp"
#include "mpi/gather.hpp"
#include "mpi/world.hpp"
#include "timing/clock.hpp"

namespace {

using namespace fanout;

double cpu_s() {
  const CpuTimes t = process_cpu_times();
  return t.user_s + t.sys_s;
}

}  // namespace

int main(int argc, char** argv) {
  World world(&argc, &argv);
  if (world.size() < 2) {
    if (world.is_root()) std::fprintf(stderr, "idle_cpu: run it under mpirun -np 2 or more\n");
    return 2;
  }
  constexpr auto kWait = std::chrono::milliseconds(1000);

  // Rank 0 sleeps between two barriers; the others wait in the second one.
  world.idle_barrier();
  double waited_share = 0;
  if (world.is_root()) {
    std::this_thread::sleep_for(kWait);
    world.idle_barrier();
  } else {
    const double c0 = cpu_s();
    const auto t0 = Clock::now();
    world.idle_barrier();
    waited_share = (cpu_s() - c0) / seconds_between(t0, Clock::now());
  }
  const auto barrier_shares = gather_values(world, waited_share);

  // Rank 0's dispatcher thread, serving nobody while rank 0 sleeps.
  DynamicSource source(world, 100, 1, true);
  world.idle_barrier();
  double dispatcher_share = 0;
  if (world.is_root()) {
    const double c0 = cpu_s();
    const auto t0 = Clock::now();
    std::this_thread::sleep_for(kWait);
    dispatcher_share = (cpu_s() - c0) / seconds_between(t0, Clock::now());
  }
  world.idle_barrier();
  source.finish();

  if (world.is_root()) {
    double worst = 0;
    for (std::size_t r = 1; r < barrier_shares.size(); ++r)
      worst = std::max(worst, barrier_shares[r]);
    std::printf("idle barrier_cpu_share=%.4f dispatcher_cpu_share=%.4f ranks=%d\n", worst,
                dispatcher_share, world.size());
  }
  return 0;
}
