// The script templates of fanout submit: built in from cluster/templates/, or the user's own.
#pragma once

#include <map>
#include <string>

#include "batch/batch_spec.hpp"

namespace fanout {

/// The templates a scheduler needs, with where each came from (for error messages).
struct TemplateSet {
  std::string point;    ///< one job per point
  std::string array;    ///< one job array for every point
  std::string collect;  ///< the dependent job that runs fanout collect
  std::string farm;     ///< a job of a farm's chain (Slurm only: it needs --signal); "" for PBS
  std::string point_source, array_source, collect_source, farm_source;
};

/// File name -> text of every template in cluster/templates, compiled in.
const std::map<std::string, std::string>& builtin_templates();

/// "slurm-point.sh", "pbs-collect.sh", ...
std::string template_file_name(Scheduler scheduler, const std::string& kind);

/// The built-in templates, or those in template_dir when it is not empty (each file missing there
/// falls back to the built-in one). An unreadable file throws ConfigError naming it.
TemplateSet load_templates(Scheduler scheduler, const std::string& template_dir);

}  // namespace fanout
