// JobSpec: a job file and its command line resolved into plain, validated values: how to run
// (RunSpec) and the workload, whose kind says the rest.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exec/model.hpp"
#include "workload/workload.hpp"

namespace fanout {

/// Top-level keys: how to run.
struct RunSpec {
  Model model = Model::serial;
  int threads = 0;  ///< 0: OMP_NUM_THREADS, else the cores available to the rank
  Schedule schedule = Schedule::static_block;
  std::uint64_t chunk = 0;    ///< dynamic chunk size in tasks; 0 picks one from tasks and workers
  int repeat = 1;             ///< repetitions (compare: per model)
  std::vector<Model> models;  ///< compare: the models to run; empty means the kind's default list
  std::string json_path;
  std::string csv_path;
  std::string trace_path;  ///< --trace: Chrome trace of every task (report/trace_report.hpp)
  bool quiet = false;
};

struct JobSpec {
  std::string name = "job";
  std::string source;  ///< the job file it came from, or "" for the command line alone
  /// The workload section of the job's kind (`workload = cpu` reads [cpu]); never null once read.
  std::shared_ptr<const Workload> workload;
  RunSpec run;
  /// The workload's size key (its weak knob) as errors name it: "--cpu.count '40'" or
  /// "job.ini:7: cpu.count = 40", for limits that show only once the tasks are counted.
  std::string size_origin;
};

}  // namespace fanout
