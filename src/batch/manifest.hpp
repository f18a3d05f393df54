// DIR/submit.json: what fanout submit did — the study, the scripts, the job ids — so that
// fanout status and fanout collect, run later and elsewhere, know the points and their jobs.
//
//   fanout_version, submitted_at (ISO 8601 UTC), command_line (of fanout submit)
//   workdir            string   where submit ran; every job and collect's job parsing start there
//   fanout             string   the binary every job runs
//   scheduler          "slurm" | "pbs";  launcher "srun" | "mpirun"
//   array              bool;  array_script, array_job_id  string ("" without --array)
//   time_limit         "HH:MM:SS";  partition, account  string ("" = default);  exclusive bool
//   modules[], setup[] strings
//   study              {mode, repeat, model (string|null), efficiency_threshold, nodes[],
//                       ranks_per_node[], threads[], run_args[], job_args[], notes[]}
//   launch_template    string
//   points[]           {key, nodes, ranks, ranks_per_node, threads, model, workers, work_factor,
//                       script, job_id, run_json, log, command[]}
//   collect            {script, job_id, log}
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "batch/batch_spec.hpp"
#include "study/study_report.hpp"

namespace fanout {

struct ManifestPoint {
  StudyPoint point;
  int ranks_per_node = 1;
  std::string script;    ///< relative to the study directory
  std::string job_id;    ///< its job, or its element of the array job
  std::string run_json;  ///< "runs/n1-r2-t1.json"
  std::string log;       ///< what the job prints: "runs/n1-r2-t1.log" or "runs/array-I.log"
  std::vector<std::string> command;  ///< what it runs inside its job
};

struct Manifest {
  std::string fanout_version;
  std::string submitted_at;
  std::string command_line;
  std::string workdir;
  std::string fanout_exe;
  BatchSpec
      spec;  ///< scheduler, lists, time, partition, ...; spec.study the sweep and its job args
  std::string launch_template;
  std::string array_script;
  std::string array_job_id;
  std::vector<ManifestPoint> points;
  std::string collect_script;
  std::string collect_job_id;
  std::string collect_log;
};

inline constexpr const char* kManifestFile = "submit.json";

/// The document above, indented, with a trailing newline.
std::string render_manifest(const Manifest& manifest);

/// Largest submit.json read: a study of thousands of points takes a few MiB.
inline constexpr std::uint64_t kMaxManifestBytes = 64ull << 20;

/// Reads DIR/submit.json. Throws ConfigError naming the file when it is missing (not a fanout
/// submit directory), not a regular file, or not a manifest of this shape.
Manifest read_manifest(const std::string& dir);

/// The manifest in `text` (read from `path`, named in errors), checked as read_manifest does:
/// every count at least 1, the time limit above zero, the files of every point inside the study
/// directory. `dir` becomes the study's out_dir.
Manifest parse_manifest(const std::string& text, const std::string& path, const std::string& dir);

}  // namespace fanout
