// Turning what a point left behind (its log, its run JSON document) into its PointResult; shared by
// `fanout scale`, which launched the point itself, and `fanout collect`, whose point was a batch
// job.
#pragma once

#include <string>

#include "study/study_report.hpp"

namespace fanout {

/// The error a failed point printed: fanout's own last "fanout: error: " line if there is one,
/// else what mpirun said was lost (launcher_fault: a rank killed, a node out of reach), else the
/// log's last line that is not blank, else "exited with status N and printed nothing".
std::string point_error(const std::string& log, int exit_code);

/// Reads the point's run document (out_dir / p.run_json). Sets p.ok and the measurements, or
/// p.ok = false and p.error saying why (no document, a document of another shape, a run stopped
/// before its first repetition ended).
void read_point_document(PointResult& p, const std::string& out_dir);

/// The whole file, "" if it cannot be read.
std::string read_text_file(const std::string& path);

}  // namespace fanout
