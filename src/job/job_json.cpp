// JobSpec to JSON: the top level and run keys here, the workload's section from its kind.
#include "job/job_json.hpp"

namespace fanout {

nlohmann::json job_json(const JobSpec& job) {
  const RunSpec& r = job.run;
  nlohmann::json models = nlohmann::json::array();
  for (Model m : r.models) models.push_back(to_string(m));
  const std::string kind(job.workload->kind());
  return {
      {"name", job.name},
      {"source", job.source},
      {"workload", kind},
      {kind, job.workload->to_json()},
      {"run",
       {{"model", to_string(r.model)},
        {"threads", r.threads},
        {"schedule", to_string(r.schedule)},
        {"chunk", r.chunk},
        {"repeat", r.repeat},
        {"models", models},
        {"json_path", r.json_path},
        {"csv_path", r.csv_path},
        {"trace_path", r.trace_path},
        {"quiet", r.quiet}}},
  };
}

}  // namespace fanout
