// JobSpec: a job file and command line resolved into plain, validated values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fanout {

enum class WorkloadKind { cpu, io };
enum class Model { serial, threads, async, processes, processes_threads, processes_async };
enum class Schedule { static_block, dynamic };

/// Name as users write it: "serial", "threads", "async", "processes", "processes+threads",
/// "processes+async".
std::string to_string(Model m);
std::string to_string(WorkloadKind w);
std::string to_string(Schedule s);
/// True for models that run on every rank; the others run on rank 0 only.
bool is_distributed(Model m);

/// [cpu] section: the CPU-bound workload.
struct CpuSpec {
  std::string kernel = "fib";  ///< fib | primes | triad | noop
  int n = 27;                  ///< fib: the argument of every task
  std::uint64_t count = 30;    ///< number of tasks
  std::uint64_t width = 20000;  ///< primes: numbers per task (task i counts primes in [i*width, (i+1)*width))
  std::uint64_t array_bytes = 32ull << 20;  ///< triad: bytes of each of the three arrays per worker
  int sweeps = 4;                            ///< triad: sweeps over the arrays per task
};

/// [io] section: the I/O-bound workload (fetch a URL list, repeated).
struct IoSpec {
  std::vector<std::string> urls;  ///< `url`, repeatable
  std::string url_file;           ///< one URL a line, '#' comments
  int repeat = 1;                 ///< how many times the whole list is fetched
  int concurrency = 50;           ///< transfers in flight per async driver / threads pool size cap
  double timeout_s = 30;          ///< per transfer
  double connect_timeout_s = 10;
  int retries = 2;  ///< on connect errors, timeouts, 429 and 5xx, with backoff and jitter
  double backoff_s = 0.05;
  std::uint64_t max_body = 64ull << 20;  ///< larger bodies fail the task (class other)
  std::string output_dir;                ///< save bodies here; empty discards them
  bool http2 = false;
  bool insecure = false;  ///< skip TLS verification (off by default)
  int max_redirects = 5;
  bool driver_per_rank = false;  ///< processes+async: one driver per rank instead of per node
  /// Start the embedded server and fetch from it: URLs may use the prefix "serve:" (e.g.
  /// "serve:/delay/100") which is replaced by the server's base URL.
  bool serve = false;
  double serve_delay_s = 0;   ///< default route delay of the embedded server
  std::uint64_t serve_size = 1024;
};

/// Top-level keys: how to run.
struct RunSpec {
  Model model = Model::serial;
  int threads = 0;  ///< 0: OMP_NUM_THREADS, else the cores available to the rank
  Schedule schedule = Schedule::static_block;
  std::uint64_t chunk = 0;  ///< dynamic chunk size in tasks; 0 picks one from tasks and workers
  int repeat = 1;           ///< repetitions (compare: per model)
  std::vector<Model> models;  ///< compare: the models to run; empty means every applicable one
  std::string json_path;
  std::string csv_path;
  std::string trace_path;  ///< --trace: Chrome trace of every task (report/trace_report.hpp)
  bool quiet = false;
};

struct JobSpec {
  std::string name = "job";
  std::string source;  ///< the job file it came from, or "" for the command line alone
  WorkloadKind workload = WorkloadKind::cpu;
  CpuSpec cpu;
  IoSpec io;
  RunSpec run;
};

}  // namespace fanout
