// Placeholder substitution, line by line, with file:line errors.
#include "batch/script_template.hpp"

#include <sstream>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

std::string known_names(const TemplateVars& vars) {
  std::string out;
  for (const auto& [name, value] : vars) out += (out.empty() ? "" : ", ") + name;
  return out;
}

const std::string& lookup(const TemplateVars& vars, const std::string& name,
                          const std::string& where) {
  const auto it = vars.find(name);
  if (it == vars.end()) {
    throw ConfigError(where + ": unknown placeholder {{" + name +
                      "}}; known: " + known_names(vars));
  }
  return it->second;
}

std::string substitute(const std::string& line, const TemplateVars& vars,
                       const std::string& where) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const auto open = line.find("{{", pos);
    if (open == std::string::npos) break;
    const auto close = line.find("}}", open + 2);
    if (close == std::string::npos) throw ConfigError(where + ": '{{' without a closing '}}'");
    out += line.substr(pos, open - pos);
    out += lookup(vars, line.substr(open + 2, close - open - 2), where);
    pos = close + 2;
  }
  return out + line.substr(pos);
}

}  // namespace

std::string render_template(const std::string& text, const TemplateVars& vars,
                            const std::string& source) {
  std::istringstream in(text);
  std::string line, out;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string where = source + ":" + std::to_string(number);
    if (line.rfind("{{?", 0) == 0) {
      const auto close = line.find("}}");
      if (close == std::string::npos) throw ConfigError(where + ": '{{?' without a closing '}}'");
      if (lookup(vars, line.substr(3, close - 3), where).empty()) continue;
      line = line.substr(close + 2);
    }
    out += substitute(line, vars, where) + "\n";
  }
  return out;
}

}  // namespace fanout
