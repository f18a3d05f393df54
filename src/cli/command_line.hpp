// Parses `fanout <command> [JOB.ini] [options]` into an Invocation; no other file sees Boost.PO.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "batch/batch_spec.hpp"
#include "cli/progress_line.hpp"
#include "job/job_spec.hpp"
#include "server/server.hpp"
#include "study/study_spec.hpp"

namespace fanout {

enum class Command { run, compare, scale, submit, status, collect, serve };

/// How speedup's base case is obtained.
struct BaseCase {
  enum class Mode { measure, none, given } mode = Mode::measure;
  double wall_s = 0;  ///< for Mode::given
};

struct Invocation {
  Command command = Command::run;
  JobSpec job;
  ServeOptions serve;  ///< `fanout serve` settings
  StudySpec study;     ///< `fanout scale` settings (job: the job every point runs)
  BatchSpec batch;     ///< `fanout submit` settings (job: the job every point runs)
  std::string batch_dir;     ///< `fanout status` and `fanout collect`: the submission's directory
  bool batch_quiet = false;  ///< `fanout collect --quiet`
  BaseCase base;
  /// run and compare inside a batch allocation, started by hand: start again over its tasks.
  bool use_allocation = true;
  ProgressMode progress = ProgressMode::automatic;  ///< --progress of run, compare and scale
  std::string command_line;  ///< argv joined, for the report
  /// Help or version text: print it (rank 0) and exit 0 without running anything.
  std::optional<std::string> print_and_exit;
};

/// Throws ConfigError for anything the user got wrong, naming the flag or file:line.
Invocation parse_command_line(int argc, const char* const* argv);

}  // namespace fanout
