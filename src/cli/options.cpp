// Every option fanout understands, with help lines that say when to use it.
#include "cli/options.hpp"

#include <boost/program_options/value_semantic.hpp>
#include <string>
#include <vector>

namespace fanout {
namespace po = boost::program_options;
namespace {

// Values stay strings here: src/cli/job_options.cpp converts them and names the file:line or
// flag in its errors, which Boost's own converters cannot do.
po::typed_value<std::string>* text() { return po::value<std::string>(); }
po::typed_value<std::string>* flag() { return po::value<std::string>()->implicit_value("true"); }

po::options_description make_job_options() {
  po::options_description general("Job (top level of a job file)");
  general.add_options()
      ("name", text(), "job name, shown in reports")
      ("workload", text(), "cpu | io (default cpu)")
      ("model", text(),
       "run: serial | threads | async | processes | processes+threads | processes+async "
       "(default serial)")
      ("models", text(),
       "compare: comma-separated models to run (default: every model that applies)")
      ("threads", text(),
       "OpenMP threads per rank (default: OMP_NUM_THREADS, else the cores the rank may use, "
       "shared among the ranks of a node for processes+threads)")
      ("schedule", text(),
       "how ranks share tasks: static (contiguous blocks, remainder spread) | dynamic (ranks "
       "pull chunks from rank 0 as they finish; rank 0 works too) (default static)")
      ("chunk", text(), "dynamic chunk size in tasks (default: about tasks / (workers * 8))")
      ("repeat", text(), "repetitions of each measurement; the report gives median and spread")
      ("json", text(), "write the JSON report to this file")
      ("csv", text(), "write one row per task (a joblog) to this file")
      ("trace", text(),
       "write a Chrome trace of every task (one track per rank and thread) to this file; open it "
       "in https://ui.perfetto.dev")
      ("quiet", flag(), "print nothing but errors");

  po::options_description cpu("[cpu] CPU-bound workload");
  cpu.add_options()
      ("cpu.kernel", text(),
       "fib (naive recursive Fibonacci) | primes (count primes per range: irregular cost) | "
       "triad (STREAM triad: memory-bound) | noop (scheduling overhead)")
      ("cpu.n", text(), "fib: the n of every task (default 27)")
      ("cpu.count", text(), "number of tasks (default 30)")
      ("cpu.width", text(), "primes: numbers per task; task i scans [i*width, (i+1)*width)")
      ("cpu.array", text(), "triad: size of each of the 3 arrays per worker, e.g. 32MiB")
      ("cpu.sweeps", text(), "triad: sweeps over the arrays per task (default 4)");

  po::options_description io("[io] I/O-bound workload");
  io.add_options()
      ("io.url", po::value<std::vector<std::string>>(),
       "a URL to fetch (repeatable); 'serve:/path' means the embedded server")
      ("io.url-file", text(), "file with one URL a line ('#' comments)")
      ("io.repeat", text(), "fetch the whole list this many times (default 1)")
      ("io.concurrency", text(), "transfers in flight per async driver (default 50)")
      ("io.timeout", text(), "per-transfer timeout, e.g. 30s")
      ("io.connect-timeout", text(), "connect timeout, e.g. 10s")
      ("io.retries", text(), "retries on connect errors, timeouts, 429 and 5xx (default 2)")
      ("io.backoff", text(), "first retry delay, doubled each retry, with jitter (default 50ms)")
      ("io.max-body", text(), "larger bodies fail the request, e.g. 64MiB")
      ("io.output", text(), "save bodies into this directory (default: discard)")
      ("io.http2", flag(), "negotiate HTTP/2 (default HTTP/1.1 keep-alive)")
      ("io.insecure", flag(), "do not verify TLS certificates")
      ("io.max-redirects", text(), "redirects followed per request (default 5)")
      ("io.driver", text(),
       "processes+async: node (one curl-multi driver per node) | rank (one per rank)")
      ("io.serve", flag(), "start the embedded server on rank 0 for 'serve:' URLs")
      ("io.serve-delay", text(), "embedded server: delay of its default route, e.g. 100ms")
      ("io.serve-size", text(), "embedded server: body size of its default route, e.g. 1KiB");

  po::options_description all;
  all.add(general).add(cpu).add(io);
  return all;
}

po::options_description make_invocation_options() {
  po::options_description inv("Invocation");
  inv.add_options()
      ("help,h", "show this help")
      ("base", text(),
       "base case for speedup: measure (run serial first; default) | none | a serial time such "
       "as 12.5s")
      ("progress", text(),
       "progress on stderr: auto (a live line on a terminal, else a plain line every 10 s on "
       "long runs; ranks under mpirun see no terminal: use live there) | live | plain (a line "
       "per measurement) | none (default auto)")
      ("allocation", text(),
       "inside a Slurm or PBS allocation, started without mpirun or srun: use (start again over "
       "all its tasks with srun --mpi=pmix or mpirun, threads from its CPUs per task) | ignore "
       "(run as this one process) (default use)");
  return inv;
}

po::options_description make_scale_options() {
  po::options_description scale("Scaling study");
  scale.add_options()
      ("help,h", "show this help")
      ("ranks", text(),
       "comma-separated MPI rank counts, e.g. 1,2,4,8; every ranks x threads pair is a point "
       "(default 1)")
      ("threads", text(), "comma-separated threads per rank, e.g. 1,2 (default 1)")
      ("mode", text(),
       "strong (fixed work: how much faster) | weak (work grows with the workers p: cpu.count x p "
       "tasks, or io.repeat x p passes for io: how well it keeps pace) (default strong)")
      ("repeat", text(),
       "repetitions inside every point; 6 or more give a true 95 % interval of the median "
       "(default 3)")
      ("model", text(),
       "the model of every point (default: processes+threads, processes at 1 thread; "
       "processes+async for io)")
      ("efficiency-threshold", text(),
       "efficiency under which scaling 'stops paying off', e.g. 0.8 or 80% (default 0.8)")
      ("out", text(), "directory for study.json, study.csv, runs/ and the plots (created; required)")
      ("launcher", text(),
       "auto (srun inside a Slurm allocation, else mpirun) | mpirun | srun (default auto)")
      ("progress", text(),
       "progress on stderr: auto (a live line on a terminal, else a line per point) | live | "
       "plain | none (default auto)")
      ("quiet", flag(), "print no table and no progress; the files are written as usual");
  return scale;
}

po::options_description make_scale_job_options() {
  po::options_description job("Job keys (as in run; forwarded to every point)");
  for (const auto& option : job_options().options()) {
    const std::string& name = option->long_name();
    if (name == "model" || name == "models" || name == "threads" || name == "repeat" ||
        name == "json" || name == "csv" || name == "trace" || name == "quiet") {
      continue;
    }
    job.add(option);
  }
  return job;
}

po::options_description make_submit_options() {
  po::options_description submit("Batch study");
  submit.add_options()
      ("help,h", "show this help")
      ("scheduler", text(), "slurm | pbs (default slurm)")
      ("nodes", text(), "comma-separated node counts, e.g. 1,2,4 (default 1)")
      ("ranks-per-node", text(), "comma-separated MPI ranks per node, e.g. 1,2 (default 1)")
      ("threads", text(),
       "comma-separated threads per rank (the job's cpus-per-task), e.g. 1,4 (default 1)")
      ("time", text(), "wall-clock limit of every point's job, [D-]HH:MM:SS (required)")
      ("partition", text(), "partition (Slurm) or queue (PBS) (default: the scheduler's)")
      ("account", text(), "account to charge (default: yours)")
      ("array", flag(),
       "one job array for every point (each element asks for the largest point's nodes, ranks "
       "and cpus) instead of one job per point")
      ("exclusive", text(),
       "true: whole nodes, so other jobs cannot disturb the timings | false (default true)")
      ("module", po::value<std::vector<std::string>>()->composing(),
       "module to load in every job, e.g. openmpi/4.1 (repeatable, in order)")
      ("setup", po::value<std::vector<std::string>>()->composing(),
       "shell line to run in every job before the module loads and the launch, e.g. "
       "'source /etc/profile.d/modules.sh' (repeatable, in order)")
      ("launcher", text(),
       "what starts the ranks inside a job: srun (srun --mpi=pmix; Slurm's default) | mpirun "
       "(PBS's default)")
      ("template-dir", text(),
       "directory with your own copies of the templates (slurm-point.sh, slurm-array.sh, "
       "slurm-collect.sh, pbs-point.sh, pbs-array.sh, pbs-collect.sh) instead of the built-in ones")
      ("mode", text(), "strong | weak, as for scale (default strong)")
      ("repeat", text(), "repetitions inside every point, as for scale (default 3)")
      ("model", text(), "the model of every point, as for scale")
      ("efficiency-threshold", text(),
       "efficiency under which scaling 'stops paying off', e.g. 0.8 (default 0.8)")
      ("out", text(),
       "directory for the scripts, the job ids (submit.json), runs/ and, after collect, the "
       "study report (created; must not hold another submission; required)")
      ("dry-run", flag(), "print the scripts; write and submit nothing");
  return submit;
}

po::options_description make_serve_options() {
  po::options_description serve("serve options");
  serve.add_options()
      ("help,h", "show this help")
      ("port", text(), "TCP port; 0 picks a free one (default 0); the first line gives the URL")
      ("bind", text(), "address to listen on (default 127.0.0.1)")
      ("delay", text(), "delay of the default route /, e.g. 100ms (default 0)")
      ("size", text(), "body size of the default route /, e.g. 1KiB (default 1KiB)")
      ("threads", text(), "server threads (default 1; one thread holds >10,000 connections)");
  return serve;
}

}  // namespace

const po::options_description& job_options() {
  static const po::options_description options = make_job_options();
  return options;
}

const po::options_description& invocation_options() {
  static const po::options_description options = make_invocation_options();
  return options;
}

const po::options_description& scale_options() {
  static const po::options_description options = make_scale_options();
  return options;
}

const po::options_description& scale_job_options() {
  static const po::options_description options = make_scale_job_options();
  return options;
}

const po::options_description& submit_options() {
  static const po::options_description options = make_submit_options();
  return options;
}

const po::options_description& serve_options() {
  static const po::options_description options = make_serve_options();
  return options;
}

}  // namespace fanout
