// Reads an INI job file into key = value entries that remember their line, for file:line errors.
#pragma once

#include <string>
#include <vector>

namespace fanout {

/// One `key = value` line; key is "section.key", or just "key" before any section.
struct IniEntry {
  std::string key;
  std::string value;
  int line = 0;
};

/// Parses INI text. `name` is used in error messages. Blank lines and lines starting with '#' or ';'
/// are skipped; values keep '#' (URLs contain it). Throws ConfigError naming name:line.
std::vector<IniEntry> parse_ini(const std::string& text, const std::string& name);

/// Reads and parses a file; an unreadable file is a ConfigError naming it.
std::vector<IniEntry> read_ini_file(const std::string& path);

}  // namespace fanout
