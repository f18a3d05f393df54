// The list of workload kinds (the one place a new kind is added), and what the seam derives from
// every kind.
#include "workload/cpu/cpu_workload.hpp"
#include "workload/io/io_workload.hpp"
#include "workload/shell/shell_workload.hpp"
#include "workload/workload.hpp"

namespace fanout {

const std::vector<const WorkloadType*>& workload_types() {
  static const std::vector<const WorkloadType*> types{&cpu_workload_type(), &io_workload_type(),
                                                      &shell_workload_type()};
  return types;
}

std::string model_refusal(const Workload& workload, Model model) {
  for (const auto& [refused, why] : workload.models().refused) {
    if (refused == model) return why;
  }
  return "";
}

std::vector<std::shared_ptr<void>> workload_process_setups() {
  std::vector<std::shared_ptr<void>> held;
  for (const WorkloadType* t : workload_types()) {
    if (auto setup = t->process_setup()) held.push_back(std::move(setup));
  }
  return held;
}

}  // namespace fanout
