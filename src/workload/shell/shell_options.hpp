// The [shell] section's keys: what a farm of the user's own commands takes, as flags and job keys.
#pragma once

#include "cli/options.hpp"

namespace fanout {

/// The [shell] keys with their help lines (each also a flag, --shell.KEY, and in `farm` --KEY).
OptionGroup shell_options();

}  // namespace fanout
