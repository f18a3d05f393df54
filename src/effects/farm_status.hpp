// `fanout status DIR` of a farm: every job of its chain, how many tasks each finished, and how
// many the joblog still lacks.
#pragma once

#include <ostream>
#include <string>

namespace fanout {

/// Prints the chain's table and its state. Returns 0. Throws std::runtime_error when the
/// scheduler does not answer (require_answer).
int run_farm_status(const std::string& dir, std::ostream& out);

}  // namespace fanout
