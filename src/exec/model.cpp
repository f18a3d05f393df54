// Model names, parsed and printed in one place.
#include "exec/model.hpp"

#include <algorithm>

#include "cli/config_error.hpp"
#include "cli/text.hpp"

namespace fanout {

std::string to_string(Model m) {
  switch (m) {
    case Model::serial:
      return "serial";
    case Model::threads:
      return "threads";
    case Model::async:
      return "async";
    case Model::processes:
      return "processes";
    case Model::processes_threads:
      return "processes+threads";
    case Model::processes_async:
      return "processes+async";
  }
  return "?";
}

std::string to_string(Schedule s) { return s == Schedule::dynamic ? "dynamic" : "static"; }

const std::vector<Model>& all_models() {
  static const std::vector<Model> models{
      Model::serial,    Model::threads,           Model::async,
      Model::processes, Model::processes_threads, Model::processes_async};
  return models;
}

std::string model_names() {
  std::vector<std::string> names;
  for (Model m : all_models()) names.push_back(to_string(m));
  return join(names, ", ");
}

std::optional<Model> parse_model(std::string_view name) {
  for (Model m : all_models()) {
    if (to_string(m) == name) return m;
  }
  return std::nullopt;
}

std::vector<Model> parse_model_list(std::string_view text, const std::string& where) {
  std::vector<Model> models;
  for (const std::string& item : split(text, ',')) {
    const std::optional<Model> m = parse_model(item);
    if (!m) {
      throw ConfigError(
          where + ": " +
          (item.empty() ? std::string("empty item") : "unknown model '" + item + "'") +
          "; expected a comma-separated list of: " + model_names());
    }
    if (std::find(models.begin(), models.end(), *m) != models.end()) {
      throw ConfigError(where + ": model '" + item + "' is listed twice");
    }
    models.push_back(*m);
  }
  return models;
}

bool is_distributed(Model m) {
  return m == Model::processes || m == Model::processes_threads || m == Model::processes_async;
}

bool threaded(Model m) { return m == Model::threads || m == Model::processes_threads; }

bool event_loop(Model m) { return m == Model::async || m == Model::processes_async; }

}  // namespace fanout
