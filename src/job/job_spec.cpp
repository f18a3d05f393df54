// Names of models, workloads and schedules as users write them.
#include "job/job_spec.hpp"

namespace fanout {

std::string to_string(Model m) {
  switch (m) {
    case Model::serial: return "serial";
    case Model::threads: return "threads";
    case Model::async: return "async";
    case Model::processes: return "processes";
    case Model::processes_threads: return "processes+threads";
    case Model::processes_async: return "processes+async";
  }
  return "?";
}

std::string to_string(WorkloadKind w) { return w == WorkloadKind::cpu ? "cpu" : "io"; }

std::string to_string(Schedule s) { return s == Schedule::dynamic ? "dynamic" : "static"; }

bool is_distributed(Model m) {
  return m == Model::processes || m == Model::processes_threads || m == Model::processes_async;
}

}  // namespace fanout
