// A small INI reader that keeps line numbers (Boost's parse_config_file forgets them).
#include "cli/ini_reader.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/config_error.hpp"
#include "cli/text.hpp"

namespace fanout {
namespace {

bool valid_name(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  }
  return true;
}

}  // namespace

std::vector<IniEntry> parse_ini(const std::string& text, const std::string& name) {
  std::vector<IniEntry> entries;
  std::istringstream in(text);
  std::string raw;
  std::string section;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    const std::string line(trim(raw));
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    const std::string where = name + ":" + std::to_string(line_no) + ": ";
    if (line[0] == '[') {
      if (line.back() != ']') throw ConfigError(where + "unclosed section header '" + line + "'");
      section = std::string(trim(std::string_view(line).substr(1, line.size() - 2)));
      if (!valid_name(section)) {
        throw ConfigError(where + "bad section name '" + section + "'; expected e.g. [cpu] or [io]");
      }
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      throw ConfigError(where + "expected 'key = value' or '[section]', got '" + line + "'");
    }
    const std::string key(trim(std::string_view(line).substr(0, eq)));
    if (!valid_name(key)) throw ConfigError(where + "bad key '" + key + "' before '='");
    entries.push_back({section.empty() ? key : section + "." + key,
                       std::string(trim(std::string_view(line).substr(eq + 1))),
                       line_no});
  }
  return entries;
}

std::vector<IniEntry> read_ini_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw ConfigError(path + ": cannot read job file: it is a directory; expected an INI file");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw ConfigError(path + ": cannot read job file: " + std::strerror(errno));
  }
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) throw ConfigError(path + ": cannot read job file: " + std::strerror(errno));
  return parse_ini(text.str(), path);
}

}  // namespace fanout
