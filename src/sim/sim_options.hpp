// fanout-sim's command line: the options, read into a SimSpec.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/sim_spec.hpp"

namespace fanout::sim {

enum class OutputFormat { text, kv };

struct SimOptions {
  SimSpec spec;
  OutputFormat format = OutputFormat::text;
};

/// The options, or nullopt with `help` set when --help was given. Throws ConfigError naming the
/// flag and what would be valid.
std::optional<SimOptions> parse_sim_options(const std::vector<std::string>& args,
                                            std::string& help);

}  // namespace fanout::sim
