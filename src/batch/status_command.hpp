// Where the jobs of a submitted study are, from the scheduler and DIR (`fanout status DIR`).
#pragma once

#include <ostream>
#include <string>

namespace fanout {

/// Prints one row per point and one for the collect job: job id, scheduler state, elapsed time,
/// exit code, whether its result is in DIR and why it waits or failed; then a summary line.
/// Returns 0. Throws ConfigError when DIR is not a submission, std::runtime_error when the
/// scheduler does not answer (require_answer).
int run_status(const std::string& dir, std::ostream& out);

}  // namespace fanout
