// The generator's load per step and the verdict on it.
#include "workload/io/generator_check.hpp"

namespace fanout {

bool generator_to_blame(ThreadLoad load, bool queued, bool late) {
  const bool busy = load.cpu_pct + load.wait_pct >= kBusyPct;
  const bool starved = load.wait_pct >= kStarvedPct;
  return (late && (busy || starved)) || (queued && busy);
}

void GeneratorLoad::add(ThreadLoad load, bool queued, bool late) {
  ++requests;
  cpu_pct_sum += load.cpu_pct;
  wait_pct_sum += load.wait_pct;
  if (generator_to_blame(load, queued, late)) ++behind_saturated;
}

void GeneratorLoad::merge(const GeneratorLoad& o) {
  requests += o.requests;
  cpu_pct_sum += o.cpu_pct_sum;
  wait_pct_sum += o.wait_pct_sum;
  behind_saturated += o.behind_saturated;
}

double GeneratorLoad::cpu_share() const {
  return requests > 0 ? static_cast<double>(cpu_pct_sum) / 100.0 / static_cast<double>(requests)
                      : 0;
}

double GeneratorLoad::wait_share() const {
  return requests > 0 ? static_cast<double>(wait_pct_sum) / 100.0 / static_cast<double>(requests)
                      : 0;
}

GeneratorVerdict judge_generator(std::uint64_t sent, std::uint64_t late,
                                 std::uint64_t behind_saturated) {
  const double bound = kLateWarnShare * static_cast<double>(sent);
  if (sent == 0) return GeneratorVerdict::held;
  if (static_cast<double>(behind_saturated) > bound) return GeneratorVerdict::could_not_hold;
  if (static_cast<double>(late) > bound) return GeneratorVerdict::late_unexplained;
  return GeneratorVerdict::held;
}

std::string_view to_string(GeneratorVerdict v) {
  switch (v) {
    case GeneratorVerdict::could_not_hold:
      return "could not hold";
    case GeneratorVerdict::late_unexplained:
      return "late, not saturated";
    case GeneratorVerdict::held:
      break;
  }
  return "held";
}

}  // namespace fanout
