// A small INI reader that keeps line numbers (Boost's parse_config_file forgets them).
#include "cli/ini_reader.hpp"

#include <sstream>

#include "cli/config_error.hpp"
#include "cli/input_file.hpp"
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

std::string_view strip_inline_comment(std::string_view line) {
  for (std::size_t i = 1; i < line.size(); ++i) {
    if ((line[i] == '#' || line[i] == ';') && (line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return line.substr(0, i);
    }
  }
  return line;
}

std::vector<IniEntry> parse_ini(const std::string& text, const std::string& name) {
  std::vector<IniEntry> entries;
  std::istringstream in(text);
  std::string raw;
  std::string section;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    std::string line(trim(raw));
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    line = std::string(trim(strip_inline_comment(line)));
    const std::string where = name + ":" + std::to_string(line_no) + ": ";
    if (line[0] == '[') {
      if (line.back() != ']')
        throw ConfigError(where + "unclosed section header '" + shown(line) + "'");
      section = std::string(trim(std::string_view(line).substr(1, line.size() - 2)));
      if (!valid_name(section)) {
        throw ConfigError(where + "bad section name '" + shown(section) +
                          "'; expected e.g. [cpu] or [io]");
      }
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      throw ConfigError(where + "expected 'key = value' or '[section]', got '" + shown(line) + "'");
    }
    const std::string key(trim(std::string_view(line).substr(0, eq)));
    if (!valid_name(key)) throw ConfigError(where + "bad key '" + shown(key) + "' before '='");
    entries.push_back({section.empty() ? key : section + "." + key,
                       std::string(trim(std::string_view(line).substr(eq + 1))), line_no});
  }
  return entries;
}

std::vector<IniEntry> read_ini_file(const std::string& path) {
  std::string text;
  try {
    text = read_input_file(path, kMaxJobFileBytes);
  } catch (const InputFileError& e) {
    throw ConfigError(path + ": cannot read job file: " + e.what());
  }
  std::vector<IniEntry> entries = parse_ini(text, path);
  if (entries.empty()) {
    throw ConfigError(path +
                      ": the job file sets nothing (it is empty or only comments); give at "
                      "least one key, such as 'workload = cpu', or leave the file out to "
                      "run the defaults");
  }
  return entries;
}

}  // namespace fanout
