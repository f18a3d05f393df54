// Output paths checked before any work starts: what each may be (a regular file, new or to be
// replaced; a directory for saved bodies), and that no output is an input or another output.
#pragma once

#include <string>
#include <vector>

#include "cli/input_file.hpp"

namespace fanout {

/// Checks an output file: not empty; after following a symlink (the file it points to is the one
/// written: it is replaced, the link stays), either absent or a regular file, never a directory,
/// FIFO, socket or device; its directory exists and a file can be created in it (tried, then
/// removed). Throws ConfigError naming the flag, e.g.
/// "--json out/x.json: directory 'out' does not exist".
void check_output_path(const std::string& path, const std::string& flag);

/// Checks an output directory (files are created inside it): a directory a file can be created
/// in, or absent with such a directory above it (it is created one level deep). ConfigError
/// naming the flag otherwise.
void check_output_dir(const std::string& path, const std::string& flag);

/// No two outputs are the same file, and no output is one of the inputs: compared by device
/// and inode (hard links and symlinks too), or, for files that do not exist yet, by their
/// directory's device and inode and their name. ConfigError naming both flags otherwise.
void check_distinct_paths(const std::vector<NamedPath>& outputs,
                          const std::vector<NamedPath>& inputs);

}  // namespace fanout
