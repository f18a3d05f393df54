// Reads an INI job file into key = value entries that remember their line, for file:line errors.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

/// One `key = value` line; key is "section.key", or just "key" before any section.
struct IniEntry {
  std::string key;
  std::string value;
  int line = 0;
};

/// Largest job file read_ini_file() reads; a job file is a few dozen lines.
inline constexpr std::uint64_t kMaxJobFileBytes = 1 << 20;

/// Parses INI text. `name` is used in error messages. Blank lines and lines starting with '#' or
/// ';' are skipped. A '#' or ';' after a space or tab starts a comment that runs to the end of the
/// line (`workload = cpu   # cpu | io`); one inside a word is kept (URLs contain '#'), so
/// `url = http://h/p#frag` keeps its fragment. Throws ConfigError naming name:line.
std::vector<IniEntry> parse_ini(const std::string& text, const std::string& name);

/// Drops a comment that starts at a '#' or ';' after a space or tab (see parse_ini).
std::string_view strip_inline_comment(std::string_view line);

/// Reads and parses a job file: a regular file of at most kMaxJobFileBytes that sets at least one
/// key; anything else is a ConfigError naming it.
std::vector<IniEntry> read_ini_file(const std::string& path);

}  // namespace fanout
