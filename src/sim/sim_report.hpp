// A simulation's result as text: a short block for people, or one key=value line for scripts.
#pragma once

#include <string>

#include "sim/sim_spec.hpp"
#include "sim/simulation.hpp"

namespace fanout::sim {

/// Lines naming the run and its figures.
std::string render_text(const SimSpec& spec, const SimResult& r);
/// "ranks=1000 nodes=25 ... efficiency=0.9912 ... real_s=0.41 rss_bytes=..." and a newline.
std::string render_kv(const SimSpec& spec, const SimResult& r);
/// "" when every id ran exactly once and every actor finished; else what went wrong, one line.
std::string protocol_failure(const SimResult& r);

}  // namespace fanout::sim
