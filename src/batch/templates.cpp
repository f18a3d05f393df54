// Choosing between the built-in templates and a user's --template-dir.
#include "batch/templates.hpp"

#include <filesystem>

#include "cli/config_error.hpp"
#include "cli/input_file.hpp"

namespace fanout {
namespace {

namespace fs = std::filesystem;

/// A job script is a page or two; anything past this is not one.
constexpr std::uint64_t kMaxTemplateBytes = 1 << 20;

void load_one(Scheduler scheduler, const std::string& kind, const std::string& dir,
              std::string& text, std::string& source) {
  const std::string name = template_file_name(scheduler, kind);
  if (!dir.empty()) {
    const fs::path path = fs::path(dir) / name;
    std::error_code ec;
    if (fs::exists(fs::symlink_status(path, ec))) {
      try {
        text = read_input_file(path.string(), kMaxTemplateBytes);
      } catch (const InputFileError& e) {
        throw ConfigError("--template-dir: cannot read " + path.string() + ": " + e.what() +
                          "; expected a job-script template");
      }
      source = path.string();
      return;
    }
  }
  text = builtin_templates().at(name);
  source = "cluster/templates/" + name + " (built in)";
}

}  // namespace

std::string template_file_name(Scheduler scheduler, const std::string& kind) {
  return to_string(scheduler) + "-" + kind + ".sh";
}

TemplateSet load_templates(Scheduler scheduler, const std::string& template_dir) {
  if (!template_dir.empty()) {
    std::error_code ec;
    if (!fs::is_directory(template_dir, ec)) {
      throw ConfigError("--template-dir " + template_dir + ": not a directory");
    }
  }
  TemplateSet set;
  load_one(scheduler, "point", template_dir, set.point, set.point_source);
  load_one(scheduler, "array", template_dir, set.array, set.array_source);
  load_one(scheduler, "collect", template_dir, set.collect, set.collect_source);
  if (scheduler == Scheduler::slurm)
    load_one(scheduler, "farm", template_dir, set.farm, set.farm_source);
  return set;
}

}  // namespace fanout
