// The options of a scaling study, checked before anything runs.
#include "study/scale_options.hpp"

#include <algorithm>

#include "cli/config_error.hpp"
#include "cli/options.hpp"
#include "launch/allocation.hpp"
#include "launch/host.hpp"
#include "study/study_job.hpp"

namespace fanout {
namespace {

constexpr int kMaxRanks = 100'000;
constexpr int kMaxThreads = 4096;
/// mpirun on this host alone: ranks per core, and at least this many, past which a point is
/// refused.
constexpr int kLocalRanksPerCore = 16;
constexpr int kMinLocalRanks = 64;

CommandSchema scale_schema() {
  CommandSchema s;
  s.command = "scale";
  s.usage =
      "usage: fanout scale [JOB.ini] --ranks 1,2,4,8 [--threads 1,2] --out DIR [options]\n\n"
      "Sweeps ranks x threads: every point is its own launch (mpirun -np R, or srun inside a\n"
      "Slurm allocation) of 'fanout run' with --repeat repetitions. Writes DIR/study.json,\n"
      "DIR/study.csv, DIR/runs/ (every run's JSON) and speedup and efficiency plots (PNG, SVG,\n"
      "with gnuplot), and prints speedup, efficiency and Karp-Flatt per point against the\n"
      "1-rank, 1-thread base case, an Amdahl (strong) or Gustafson (weak) fit, and where\n"
      "efficiency falls under the threshold. Run it without mpirun.\n";
  s.groups.push_back(
      {"Scaling study",
       {{"ranks",
         "comma-separated MPI rank counts, e.g. 1,2,4,8; every ranks x threads pair is a point "
         "(default 1)"},
        {"threads", "comma-separated threads per rank, e.g. 1,2 (default 1)"},
        {"mode",
         "strong (fixed work: how much faster) | weak (work grows with the workers p: the "
         "workload's size key, its task count or number of passes, times p: how well it keeps "
         "pace) (default strong)"},
        {"repeat",
         "repetitions inside every point; 6 or more give a true 95 % interval of the median "
         "(default 3)"},
        {"model",
         "the model of every point (default: processes+threads, processes at 1 thread; "
         "processes+async for io)"},
        {"efficiency-threshold",
         "efficiency under which scaling 'stops paying off', e.g. 0.8 or 80% (default 0.8)"},
        {"out", "directory for study.json, study.csv, runs/ and the plots (created; required)"},
        {"launcher",
         "auto (srun inside a Slurm allocation, else mpirun) | mpirun | srun (default auto)"},
        {"progress",
         "progress on stderr: auto (a live line on a terminal, else a line per point) | live | "
         "plain | none (default auto)"},
        {"quiet", "print no table and no progress; the files are written as usual",
         OptionSpec::Arity::flag}}});
  for (OptionSpec& o : host_options()) s.groups.back().options.push_back(std::move(o));
  for (OptionGroup& g : study_job_groups()) s.groups.push_back(std::move(g));
  s.positional = "job-file";
  return s;
}

}  // namespace

void check_local_ranks(const StudySpec& spec, int cores, bool in_allocation) {
  if (in_allocation || spec.launcher == Launcher::srun) return;
  const int most = std::max(kMinLocalRanks, kLocalRanksPerCore * std::max(cores, 1));
  const int ranks = *std::max_element(spec.ranks.begin(), spec.ranks.end());
  if (ranks <= most) return;
  throw ConfigError("--ranks: a point of " + std::to_string(ranks) + " ranks would start " +
                    std::to_string(ranks) + " processes on this " + std::to_string(cores) +
                    "-core host (outside an allocation mpirun runs every point here); at most " +
                    std::to_string(most) + " here (" + std::to_string(kLocalRanksPerCore) +
                    " per core); run scale inside an allocation (salloc) for more");
}

std::optional<ScaleCommand> parse_scale_command(const std::vector<std::string>& args,
                                                std::string& help) {
  static const CommandSchema schema = scale_schema();
  const std::optional<Options> parsed = parse_or_help(schema, args, help);
  if (!parsed) return std::nullopt;
  const Options& options = *parsed;
  const OptionReader r = options.reader();
  ScaleCommand cmd;
  StudySpec& spec = cmd.spec;
  if (r.has("ranks")) spec.ranks = read_count_list(r, "ranks", kMaxRanks);
  if (r.has("threads")) spec.threads = read_count_list(r, "threads", kMaxThreads);
  read_sweep_options(r, spec);
  r.choice<Launcher>(
      "launcher", spec.launcher,
      {{"auto", Launcher::automatic}, {"mpirun", Launcher::mpirun}, {"srun", Launcher::srun}});
  read_host_options(r, spec);
  r.choice("progress", spec.progress, progress_modes());
  r.boolean("quiet", spec.quiet);
  r.text("out", spec.out_dir);
  if (spec.out_dir.empty()) {
    throw ConfigError("--out: scale needs a directory for its files, e.g. --out study-fib");
  }
  if (spec.ranks.size() * spec.threads.size() == 1 && spec.ranks[0] == 1 && spec.threads[0] == 1) {
    throw ConfigError(
        "--ranks/--threads: the study has only the 1 x 1 point; list more, e.g. "
        "--ranks 1,2,4");
  }
  check_local_ranks(spec, online_cores(), detect_allocation().present());
  cmd.job = resolve_study_job(options, spec);
  return cmd;
}

}  // namespace fanout
