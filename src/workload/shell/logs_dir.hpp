// The farm's log directory, made when the farm is bound.
#pragma once

#include <string>

namespace fanout {

/// Creates `path` and any missing parent (mode 0755) and checks that files can be created in it.
/// Throws ConfigError naming --shell.logs and what is wrong.
void make_logs_dir(const std::string& path);

}  // namespace fanout
