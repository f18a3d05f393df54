// JobSpec and Environment to JSON, field by field.
#include "report/job_json.hpp"

namespace fanout {

nlohmann::json job_json(const JobSpec& job) {
  const CpuSpec& c = job.cpu;
  const IoSpec& io = job.io;
  const RunSpec& r = job.run;
  nlohmann::json models = nlohmann::json::array();
  for (Model m : r.models) models.push_back(to_string(m));
  return {
      {"name", job.name},
      {"source", job.source},
      {"workload", to_string(job.workload)},
      {"cpu",
       {{"kernel", c.kernel},
        {"n", c.n},
        {"count", c.count},
        {"width", c.width},
        {"array_bytes", c.array_bytes},
        {"sweeps", c.sweeps}}},
      {"io",
       {{"urls", io.urls},
        {"url_file", io.url_file},
        {"repeat", io.repeat},
        {"concurrency", io.concurrency},
        {"timeout_s", io.timeout_s},
        {"connect_timeout_s", io.connect_timeout_s},
        {"retries", io.retries},
        {"backoff_s", io.backoff_s},
        {"max_body", io.max_body},
        {"output_dir", io.output_dir},
        {"http2", io.http2},
        {"insecure", io.insecure},
        {"max_redirects", io.max_redirects},
        {"driver_per_rank", io.driver_per_rank},
        {"serve", io.serve},
        {"serve_delay_s", io.serve_delay_s},
        {"serve_size", io.serve_size}}},
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

nlohmann::json environment_json(const Environment& env) {
  return {
      {"hosts", env.hosts},
      {"world_size", env.world_size},
      {"nodes", env.nodes},
      {"cores_per_node", env.cores_per_node},
      {"cores_available", env.cores_available},
      {"binding", env.binding},
      {"mpi_library", env.mpi_library},
      {"compiler", env.compiler},
      {"openmp", env.openmp},
      {"fanout_version", env.fanout_version},
      {"started_at", env.started_at},
      {"command_line", env.command_line},
      {"clock_resolution_s", env.clock_resolution_s},
      {"allocation",
       env.allocation.empty() ? nlohmann::json(nullptr) : nlohmann::json(env.allocation)},
  };
}

}  // namespace fanout
