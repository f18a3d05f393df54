// Conversion and validation of every job key, with messages that say where and what is valid.
#include "cli/job_options.hpp"

#include <filesystem>
#include <sstream>

#include "cli/units.hpp"
#include "job/config_error.hpp"
#include "workload/cpu_kernels.hpp"

namespace fanout {
namespace po = boost::program_options;
namespace {

const std::vector<std::pair<std::string, Model>>& model_names() {
  static const std::vector<std::pair<std::string, Model>> names{
      {"serial", Model::serial},
      {"threads", Model::threads},
      {"async", Model::async},
      {"processes", Model::processes},
      {"processes+threads", Model::processes_threads},
      {"processes+async", Model::processes_async}};
  return names;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

/// Reads one key from the variables map and converts it, naming the origin in every error.
class Reader {
 public:
  Reader(const po::variables_map& vm, const Origins& origins) : vm_(vm), origins_(origins) {}

  bool has(const std::string& key) const { return vm_.count(key) > 0; }
  std::string raw(const std::string& key) const { return vm_[key].as<std::string>(); }

  [[noreturn]] void fail(const std::string& key, const std::string& why) const {
    const std::string where = origins_.of(key);
    const std::string shown = where.rfind("--", 0) == 0 ? where + " '" + raw(key) + "'"
                                                         : where + ": " + key + " = " + raw(key);
    throw ConfigError(shown + ": " + why);
  }

  void text(const std::string& key, std::string& out) const {
    if (!has(key)) return;
    out = raw(key);
    if (out.empty()) fail(key, "must not be empty");
  }

  template <typename Int>
  void integer(const std::string& key, Int& out, std::int64_t min, std::int64_t max) const {
    if (!has(key)) return;
    auto v = parse_integer(raw(key));
    if (!v || *v < min || *v > max) {
      fail(key, "must be a whole number from " + std::to_string(min) + " to " +
                    std::to_string(max));
    }
    out = static_cast<Int>(*v);
  }

  void duration(const std::string& key, double& out, bool allow_zero) const {
    if (!has(key)) return;
    auto v = parse_duration(raw(key));
    if (!v || (!allow_zero && *v <= 0)) {
      fail(key, std::string("must be a ") + (allow_zero ? "" : "positive ") +
                    "duration such as 250ms, 1.5s or 2m");
    }
    out = *v;
  }

  void bytes(const std::string& key, std::uint64_t& out, std::uint64_t min) const {
    if (!has(key)) return;
    auto v = parse_bytes(raw(key));
    if (!v || *v < min) {
      fail(key, "must be a size of at least " + std::to_string(min) +
                    " bytes, such as 4KiB, 32MiB or 1GB");
    }
    out = *v;
  }

  void boolean(const std::string& key, bool& out) const {
    if (!has(key)) return;
    auto v = parse_bool(raw(key));
    if (!v) fail(key, "must be true or false");
    out = *v;
  }

  template <typename Enum>
  void choice(const std::string& key, Enum& out,
              const std::vector<std::pair<std::string, Enum>>& choices) const {
    if (!has(key)) return;
    std::vector<std::string> names;
    for (const auto& [name, value] : choices) {
      if (raw(key) == name) {
        out = value;
        return;
      }
      names.push_back(name);
    }
    fail(key, "expected one of: " + join(names, ", "));
  }

 private:
  const po::variables_map& vm_;
  const Origins& origins_;
};

/// A path from a job file is relative to that file's folder; from the command line, to the cwd.
std::string resolve_path(const std::string& value, const std::string& from_file) {
  if (from_file.empty() || value.empty() || value[0] == '/') return value;
  const auto dir = std::filesystem::path(from_file).parent_path();
  return dir.empty() ? value : (dir / value).string();
}

void read_cpu(const Reader& r, CpuSpec& cpu) {
  if (r.has("cpu.kernel")) {
    const auto names = cpu_kernel_names();
    cpu.kernel = r.raw("cpu.kernel");
    if (std::find(names.begin(), names.end(), cpu.kernel) == names.end()) {
      r.fail("cpu.kernel", "unknown kernel; expected one of: " + join(names, ", "));
    }
  }
  r.integer("cpu.n", cpu.n, 1, 92);
  r.integer("cpu.count", cpu.count, 1, 1'000'000'000);
  r.integer("cpu.width", cpu.width, 1, 1'000'000'000);
  r.bytes("cpu.array", cpu.array_bytes, 1024);
  r.integer("cpu.sweeps", cpu.sweeps, 1, 1'000'000);
}

void read_io(const Reader& r, const po::variables_map& vm, const Origins& origins, IoSpec& io) {
  if (vm.count("io.url")) io.urls = vm["io.url"].as<std::vector<std::string>>();
  if (r.has("io.url-file")) {
    r.text("io.url-file", io.url_file);
    io.url_file = resolve_path(io.url_file, origins.file_of("io.url-file"));
  }
  r.integer("io.repeat", io.repeat, 1, 1'000'000'000);
  r.integer("io.concurrency", io.concurrency, 1, 100'000);
  r.duration("io.timeout", io.timeout_s, false);
  r.duration("io.connect-timeout", io.connect_timeout_s, false);
  r.integer("io.retries", io.retries, 0, 100);
  r.duration("io.backoff", io.backoff_s, true);
  r.bytes("io.max-body", io.max_body, 1);
  r.text("io.output", io.output_dir);
  r.boolean("io.http2", io.http2);
  r.boolean("io.insecure", io.insecure);
  r.integer("io.max-redirects", io.max_redirects, 0, 100);
  if (r.has("io.driver")) {
    r.choice<bool>("io.driver", io.driver_per_rank, {{"node", false}, {"rank", true}});
  }
  r.boolean("io.serve", io.serve);
  r.duration("io.serve-delay", io.serve_delay_s, true);
  r.bytes("io.serve-size", io.serve_size, 0);
}

}  // namespace

std::vector<Model> parse_models(const std::string& text, const std::string& where) {
  std::vector<Model> models;
  std::stringstream in(text);
  std::string item;
  std::vector<std::string> valid;
  for (const auto& [name, _] : model_names()) valid.push_back(name);
  while (std::getline(in, item, ',')) {
    bool found = false;
    for (const auto& [name, model] : model_names()) {
      if (item == name) {
        models.push_back(model);
        found = true;
      }
    }
    if (!found) {
      throw ConfigError(where + ": unknown model '" + item + "'; expected one of: " +
                        join(valid, ", "));
    }
  }
  if (models.empty()) throw ConfigError(where + ": no model given; expected one of: " + join(valid, ", "));
  return models;
}

JobSpec make_job_spec(const po::variables_map& vm, const Origins& origins,
                      const std::string& job_file) {
  const Reader r(vm, origins);
  JobSpec job;
  job.source = job_file;
  if (!job_file.empty()) job.name = std::filesystem::path(job_file).stem().string();
  r.text("name", job.name);
  r.choice<WorkloadKind>("workload", job.workload,
                         {{"cpu", WorkloadKind::cpu}, {"io", WorkloadKind::io}});
  r.choice<Model>("model", job.run.model, model_names());
  if (r.has("models")) {
    const std::string where = origins.of("models");
    job.run.models = parse_models(r.raw("models"), where);
  }
  if (r.has("threads") && r.raw("threads") != "auto") r.integer("threads", job.run.threads, 1, 4096);
  r.choice<Schedule>("schedule", job.run.schedule,
                     {{"static", Schedule::static_block}, {"dynamic", Schedule::dynamic}});
  r.integer("chunk", job.run.chunk, 1, 1'000'000'000);
  r.integer("repeat", job.run.repeat, 1, 10'000);
  r.text("json", job.run.json_path);
  r.text("csv", job.run.csv_path);
  r.text("trace", job.run.trace_path);
  r.boolean("quiet", job.run.quiet);
  read_cpu(r, job.cpu);
  read_io(r, vm, origins, job.io);

  const bool io = job.workload == WorkloadKind::io;
  if (!io && job.run.model == Model::processes_async) {
    r.fail("model", "processes+async applies to workload = io; for cpu use processes+threads");
  }
  if (io && job.io.urls.empty() && job.io.url_file.empty()) {
    throw ConfigError((job_file.empty() ? std::string("--workload io") : job_file) +
                      ": workload = io needs [io] url = ... or url-file = ...");
  }
  if (!io && (vm.count("io.url") || vm.count("io.url-file"))) {
    throw ConfigError(origins.of(vm.count("io.url") ? "io.url" : "io.url-file") +
                      ": [io] URLs given but workload is cpu; set workload = io");
  }
  return job;
}

}  // namespace fanout
