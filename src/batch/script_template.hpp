// A small text template language for batch scripts: `{{name}}` is replaced by the variable's
// value; a line that starts with `{{?name}}` is kept (without the marker) only when the variable
// is not empty, so optional directives (partition, account) vanish instead of staying blank.
#pragma once

#include <map>
#include <string>

namespace fanout {

using TemplateVars = std::map<std::string, std::string>;

/// Renders `text`. A name the variables lack, or an unclosed `{{`, throws ConfigError naming
/// `source`:line and the names that are known, so a user's own template fails before anything
/// is submitted.
std::string render_template(const std::string& text, const TemplateVars& vars,
                            const std::string& source);

}  // namespace fanout
