// [io]: its options, what it means to placement, studies and reports, and the URL list bound to
// the curl engines (with the embedded server, when the job asks for it).
#include "workload/io/io_workload.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>

#include "cli/format.hpp"
#include "cli/text.hpp"
#include "mpi/agree.hpp"
#include "mpi/partition.hpp"
#include "server/server.hpp"
#include "workload/committing_executor.hpp"
#include "workload/effects.hpp"
#include "workload/io/attempt.hpp"
#include "workload/io/body_file.hpp"
#include "workload/io/curl_global.hpp"
#include "workload/io/download_journal.hpp"
#include "workload/io/download_summary.hpp"
#include "workload/io/fd_limit.hpp"
#include "workload/io/hgrm_files.hpp"
#include "workload/io/io_engines.hpp"
#include "workload/io/io_spec.hpp"
#include "workload/io/io_tally.hpp"
#include "workload/io/open_loop.hpp"
#include "workload/io/open_loop_options.hpp"
#include "workload/io/open_loop_report.hpp"
#include "workload/io/shared_url_plan.hpp"
#include "workload/io/staging.hpp"
#include "workload/io/url_plan.hpp"
#include "workload/rank_log.hpp"

namespace fanout {
namespace {

/// The embedded server for `serve:` URLs, on rank 0. Single node: 127.0.0.1. Several nodes: every
/// interface, addressed by rank 0's host name, so ranks on other nodes reach it.
std::unique_ptr<EmbeddedServer> start_server(World& world, const IoSpec& io,
                                             std::string& base_url) {
  std::unique_ptr<EmbeddedServer> server;
  const bool multi_node = world.node_count() > 1;
  agreed(world, true, [&] {
    ServeOptions options;
    options.bind = multi_node ? "0.0.0.0" : "127.0.0.1";
    options.delay_s = io.serve_delay_s;
    options.size = io.serve_size;
    server = std::make_unique<EmbeddedServer>(options);
  });
  std::string url;
  if (server) {
    url = multi_node ? "http://" + world.host() + ":" + std::to_string(server->port())
                     : server->base_url();
  }
  base_url = world.bcast_string(url);
  return server;
}

/// The journal of a download job: io.journal, else .fanout-journal inside io.output.
std::string journal_path(const IoSpec& io) {
  return !io.journal.empty() ? io.journal : io.output_dir + "/.fanout-journal";
}

class IoBound : public BoundWorkload {
 public:
  /// `before` receives what the journal held (io.resume), for the report.
  IoBound(World& world, const IoSpec& spec, const std::string& base_url,
          std::unique_ptr<EmbeddedServer> server, JournalBefore& before)
      : spec_(spec), plan_(shared_url_plan(world, spec, base_url)), server_(std::move(server)) {
    if (!spec.rates.empty()) schedule_ = open_loop_schedule(spec, plan_.count());
    if (spec.per_host > 0) {
      // Split over the ranks that run a model's tasks (make_executor), at most every rank: each
      // needs a connection of its own.
      const int size = world.size();
      if (spec.per_host < size) {
        throw ConfigError("--io.per-host " + std::to_string(spec.per_host) +
                          ": fewer than the job's " + std::to_string(size) +
                          " ranks, each of which needs at least one; give at least " +
                          std::to_string(size) + " or run fewer ranks");
      }
    }
    if (spec.download || spec.rate_per_host > 0) gate_ = std::make_unique<HostGate>(0);
    const std::string journal = journal_path(spec);
    JournalRecord record;
    // Read before anything is made, so that a journal of another list leaves no directory behind;
    // by rank 0 alone, which sends the others what it records finished.
    if (spec.download && spec.resume) {
      std::string finished;
      agreed(world, true, [&] { finished = to_bytes(read_journal(journal, plan_.size())); });
      record = journal_record_from(world.bcast_string(finished), plan_.size());
      before = {record.count, record.bytes};
    }
    if (!spec.output_dir.empty()) {
      agreed(world, false, [&] { bodies_ = std::make_unique<BodyDir>(spec.output_dir); });
    }
    if (!spec.download) return;
    // Rank 0 read the journal before any rank may write to it. Rank 0 alone writes it (group
    // commit); the others send it their lines.
    world.idle_barrier();
    auto log = std::make_shared<RankLog>();
    agreed(world, true, [&] {
      log->open(journal, "--io.journal", journal_header(), {},
                [this](std::string_view lines) { count_journaled(lines); });
      progress_ = true;
      journaled_before_ = record.count;
    });
    log->connect(world, {});
    journal_log_ = log;
    staging_ = std::make_unique<StagingDir>(*bodies_, std::make_shared<const JournalWriter>(log),
                                            std::move(record), &plan_);
  }

  /// The journal's last commit counts into this object's members: it closes first.
  ~IoBound() override {
    staging_.reset();
    journal_log_.reset();
  }

  /// The URL list's tasks; in an open-loop run with io.step, the staircase's requests (the list
  /// walked again as often as needed).
  TaskId count() const override { return schedule_.empty() ? plan_.count() : schedule_.total(); }

  std::unique_ptr<Executor> make_executor(Model model, const RankPart& part) override {
    // The job's per-host cap and rate split over the ranks that drive transfers under this model
    // (every rank, or one per node holding its node's part), remainder to the first: the parts
    // never sum past the job's figure, and none is left unused by ranks that sit out.
    run_spec_ = spec_;
    const int of = std::max(1, part.of), index = std::clamp(part.index, 0, of - 1);
    if (spec_.per_host > 0) {
      run_spec_.host_connections =
          static_cast<int>(block_partition(static_cast<TaskId>(spec_.per_host), of, index).size());
    }
    if (gate_) gate_->set_rate(spec_.rate_per_host / of);
    // Open loop: this driver sends every of-th arrival of the job's schedule, from its index.
    std::shared_ptr<Pacer> pacer;
    if (!schedule_.empty()) pacer = std::make_shared<Pacer>(schedule_, index, of);
    std::unique_ptr<Executor> io =
        make_io_executor(model, part.workers, count(),
                         {plan_, run_spec_, staging_ ? nullptr : bodies_.get(), staging_.get(),
                          gate_.get(), std::move(pacer)});
    if (!journal_log_) return io;
    // The measurement ends once this rank's journal lines are durable.
    return std::make_unique<CommittingExecutor>(std::move(io), journal_log_,
                                                "the download journal " + journal_path(spec_));
  }

  /// Rank 0, a download: the files the journal gained (durable lines, every rank's), their
  /// bytes and rate since the job was bound.
  std::optional<LiveProgress> live_progress() const override {
    if (!progress_) return std::nullopt;
    std::lock_guard lock(progress_mutex_);
    LiveProgress p;
    p.total = plan_.count();
    p.done = std::min<std::uint64_t>(p.total, journaled_before_ + journaled_);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - bound_at_).count();
    char rate[48];
    std::snprintf(rate, sizeof rate, "%.1f MB/s",
                  s > 0 ? static_cast<double>(bytes_) / s / 1e6 : 0.0);
    p.detail = format_bytes(bytes_) + " in finished files, " + rate;
    return p;
  }

 private:
  IoSpec spec_;
  IoSpec run_spec_;  ///< spec_ with this rank's part of the per-host cap, for the current executor
  UrlPlan plan_;
  RateSchedule schedule_;  ///< open loop (io.rate); empty otherwise
  std::unique_ptr<BodyDir> bodies_;
  std::unique_ptr<StagingDir> staging_;
  std::unique_ptr<EmbeddedServer> server_;
  std::unique_ptr<HostGate> gate_;
  /// Rank 0 counts the journal's lines as they are made durable (count_journaled).
  void count_journaled(std::string_view lines) {
    std::lock_guard lock(progress_mutex_);
    for (std::size_t from = 0, nl; (nl = lines.find('\n', from)) != std::string_view::npos;
         from = nl + 1) {
      const std::string_view line = lines.substr(from, nl - from);
      if (line.empty() || line.front() == '#') continue;
      ++journaled_;
      const auto tab = line.find('\t');
      if (tab != std::string_view::npos)
        bytes_ += std::strtoull(std::string(line.substr(tab + 1, 24)).c_str(), nullptr, 10);
    }
  }

  std::shared_ptr<RankLog> journal_log_;  ///< a download: where this rank's journal lines go
  bool progress_ = false;                 ///< rank 0, a download: live_progress counts
  std::uint64_t journaled_before_ = 0;
  std::chrono::steady_clock::time_point bound_at_ = std::chrono::steady_clock::now();
  mutable std::mutex progress_mutex_;
  std::uint64_t journaled_ = 0;
  std::uint64_t bytes_ = 0;
};

class IoWorkload : public Workload {
 public:
  explicit IoWorkload(IoSpec spec) : spec_(std::move(spec)) {}

  std::string_view kind() const override { return "io"; }

  nlohmann::json to_json() const override {
    const IoSpec& io = spec_;
    return {{"urls", io.urls},
            {"url_file", io.url_file},
            {"repeat", io.repeat},
            {"concurrency", io.concurrency},
            {"timeout_s", io.timeout_s},
            {"connect_timeout_s", io.connect_timeout_s},
            {"retries", io.retries},
            {"backoff_s", io.backoff_s},
            {"max_body", io.max_body},
            {"output_dir", io.output_dir},
            {"download", io.download},
            {"journal", io.download ? journal_path(io) : ""},
            {"resume", io.resume},
            {"per_host", io.per_host},
            {"rate_per_host", io.rate_per_host},
            {"checksums", io.checksums_file},
            {"http2", io.http2},
            {"insecure", io.insecure},
            {"max_redirects", io.max_redirects},
            {"driver_per_rank", io.driver_per_rank},
            {"serve", io.serve},
            {"serve_delay_s", io.serve_delay_s},
            {"serve_size", io.serve_size},
            {"rate_per_s", io.rates},
            {"step_s", io.step_s},
            {"at_cap", io.drop_at_cap ? "drop" : "queue"},
            {"hgrm", io.hgrm_dir}};
  }

  std::string describe(std::optional<std::uint64_t> tasks) const override {
    if (!tasks)
      return "io, " + url_list() + ", concurrency " + std::to_string(spec_.concurrency) +
             describe_open_loop(spec_);
    return "io, " + plural(*tasks, "request") + " (" + url_list() + " x " +
           std::to_string(spec_.repeat) + "), concurrency " + std::to_string(spec_.concurrency) +
           ", timeout " + format_seconds(spec_.timeout_s) + ", retries " +
           std::to_string(spec_.retries) + describe_open_loop(spec_) +
           (spec_.download ? ", download into " + spec_.output_dir +
                                 (spec_.resume ? " (resume: " + plural(before_->files, "file") +
                                                     " in the journal)"
                                               : "")
                           : "");
  }

  // Every model paces an open-loop run: serial and processes with one request in flight per
  // rank, whose latency still counts from each intended start (wrk2 at one connection).
  ModelSupport models() const override {
    return {{Model::serial, Model::threads, Model::async, Model::processes, Model::processes_async},
            {}};
  }

  PlacementHints placement() const override {
    PlacementHints h;
    // A pool as wide as the event loop's window, so the two compare at the same concurrency.
    h.pool_threads = spec_.concurrency;
    h.loop_slots = spec_.concurrency;
    h.loop_per_node = !spec_.driver_per_rank;
    h.uses_cores = false;
    h.loop_worker_noun = "transfers in flight";
    h.task_noun = "requests";
    return h;
  }

  StudyHints study() const override {
    return {{"io.repeat", static_cast<std::uint64_t>(spec_.repeat), "passes over the URL list"},
            Model::processes_async,
            {{"io.driver", "rank",
              "io.driver = rank: every rank runs its own curl-multi driver, so the workers of a "
              "point are its ranks (set io.driver to override)",
              Model::processes_async}}};
  }

  RecordSpec records() const override {
    RecordSpec spec{
        http_record_fields(),
        {ErrorClass::connect, ErrorClass::timeout, ErrorClass::http_4xx, ErrorClass::http_5xx,
         ErrorClass::other, ErrorClass::checksum, ErrorClass::name_clash},
        &got_response};
    // Open loop: a stop ends the requests still waiting for their intended start, unsent.
    if (!spec_.rates.empty()) spec.error_classes.push_back(ErrorClass::stopped);
    return spec;
  }

  std::unique_ptr<KindTally> make_tally() const override { return std::make_unique<IoTally>(); }

  KindSummary summarise(const FigureInput& in) const override {
    using Unit = Figure::Unit;
    const IoTally& tally = tally_as<IoTally>(in.median_tally);
    const auto requests = static_cast<double>(tally.requests);
    const auto bytes = static_cast<double>(tally.bytes);
    const double wall = in.median_wall_s;
    const double nan = std::nan("");
    const LatencyHistogram& h = in.histogram;
    KindSummary out;
    if (spec_.download) out.details = download_details(in, *before_);
    // The task times of an open-loop run include each slot's wait for its request's start.
    if (!spec_.rates.empty()) return open_loop_summary(tally, spec_, in.median_wall_s);
    out.figures = {
        {"requests", "", requests, Unit::count},
        {"bytes", "", bytes, Unit::count},
        {"requests_per_s", "req/s", wall > 0 ? requests / wall : nan, Unit::per_second},
        {"bytes_per_s", "MB/s", wall > 0 ? bytes / wall : nan, Unit::megabytes_per_second},
        {"latency_s.count", "", static_cast<double>(h.count()), Unit::count},
        {"latency_s.p50", "latency p50", h.percentile(50), Unit::seconds},
        {"latency_s.p90", "", h.percentile(90), Unit::seconds},
        {"latency_s.p99", "p99", h.percentile(99), Unit::seconds},
        {"latency_s.p999", "", h.percentile(99.9), Unit::seconds},
        {"latency_s.max", "", h.max(), Unit::seconds}};
    return out;
  }

  KindFiles files() const override {
    KindFiles f;
    f.inputs = {{spec_.url_file, "--io.url-file"}, {spec_.checksums_file, "--io.checksums"}};
    if (spec_.download) f.inputs.push_back({journal_path(spec_), "--io.journal"});
    if (!spec_.output_dir.empty()) f.output_dirs = {{spec_.output_dir, "--io.output"}};
    if (!spec_.hgrm_dir.empty()) {
      f.output_dirs.push_back({spec_.hgrm_dir, "--io.hgrm"});
      const std::size_t steps = spec_.step_s > 0 ? spec_.rates.size() : 1;
      for (Model m : all_models()) {
        for (const std::string& name : hgrm_file_names(steps))
          f.outputs.push_back({spec_.hgrm_dir + "/" + to_string(m) + "/" + name, "--io.hgrm"});
      }
    }
    return f;
  }

  /// A download's files land once: it is a run with effects, which keeps its journal.
  const Effects* effects() const override { return spec_.download ? &effects_ : nullptr; }

  std::unique_ptr<BoundWorkload> bind(World& world) const override {
    std::string base_url;
    std::unique_ptr<EmbeddedServer> server;
    if (spec_.serve) server = start_server(world, spec_, base_url);
    return std::make_unique<IoBound>(world, spec_, base_url, std::move(server), *before_);
  }

 private:
  std::string url_list() const {
    std::string list = spec_.urls.empty() ? "" : plural(spec_.urls.size(), "URL");
    if (!spec_.url_file.empty())
      list += (list.empty() ? "" : " + ") + std::string("URLs from ") + spec_.url_file;
    return list;
  }

  /// A download: its journal is the log of finished work (io.resume reads it).
  class DownloadEffects : public Effects {
   public:
    std::optional<RecordedTasks> recorded() const override { return std::nullopt; }
    std::string rerun_refusal(std::uint64_t runs) const override {
      if (runs <= 1) return "";
      return "a download fetches each file once, but this would run the list " +
             std::to_string(runs) +
             " times (repetitions, a base case or compare's models); use fanout run with one model";
    }
    std::vector<std::string> resume_keys() const override { return {"io.resume"}; }
    std::string log_dir_key() const override { return "io.output"; }
  };

  IoSpec spec_;
  /// What the journal held before the run, as rank 0 read it on binding (the object is otherwise
  /// immutable).
  std::shared_ptr<JournalBefore> before_ = std::make_shared<JournalBefore>();
  DownloadEffects effects_;
};

/// One socket per transfer in flight (twice on rank 0 when the embedded server answers them in
/// the same process): raise the open-file limit for them, or refuse the concurrency up front.
void check_fd_limit(const OptionReader& r, const IoSpec& io) {
  const std::uint64_t per_transfer = io.serve ? 2 : 1;
  const std::uint64_t needed =
      static_cast<std::uint64_t>(io.concurrency) * per_transfer + kReservedFds;
  const std::uint64_t limit = raise_fd_limit(needed);
  if (limit >= needed) return;
  const std::uint64_t most = limit > kReservedFds ? (limit - kReservedFds) / per_transfer : 0;
  r.fail("io.concurrency",
         "needs about " + std::to_string(needed) + " open files (a socket per transfer in flight" +
             (io.serve ? ", and one more for the embedded server's side of each" : "") + ", plus " +
             std::to_string(kReservedFds) + "), but this process may open " +
             std::to_string(limit) + " (ulimit -n, hard limit reached); use io.concurrency " +
             (most > 0 ? "of at most " + std::to_string(most) : "lower") + ", or raise ulimit -Hn");
}

class IoType : public WorkloadType {
 public:
  std::string_view name() const override { return "io"; }

  OptionGroup options() const override {
    using Arity = OptionSpec::Arity;
    OptionGroup group{
        "[io] I/O-bound workload",
        {{"io.url", "a URL to fetch (repeatable); 'serve:/path' means the embedded server",
          Arity::list},
         {"io.url-file", "file with one URL a line ('#' comments)"},
         {"io.repeat", "fetch the whole list this many times (default 1)"},
         {"io.concurrency", "transfers in flight per async driver (default 50)"},
         {"io.timeout", "per-transfer timeout, e.g. 30s"},
         {"io.connect-timeout", "connect timeout, e.g. 10s"},
         {"io.retries", "retries on connect errors, timeouts, 429 and 5xx (default 2)"},
         {"io.backoff", "first retry delay, doubled each retry, with jitter (default 50ms)"},
         {"io.max-body", "larger bodies fail the request, e.g. 64MiB"},
         {"io.output", "save bodies into this directory (default: discard)"},
         {"io.download",
          "stage files into io.output under their final names (the list's NAME column, else "
          "the URL's last segment): resume partial files with Range/If-Range, skip complete "
          "ones, verify size and checksum columns, journal each finished file",
          Arity::flag},
         {"io.journal",
          "download journal, written by rank 0 and made durable (fdatasync) at most every "
          "50 ms (default: io.output/.fanout-journal)"},
         {"io.checksums",
          "a SHA256SUMS-style manifest (sha256sum or md5sum output): checksums by file name "
          "for list entries that give none"},
         {"io.rate-per-host",
          "requests per second the whole job starts to one host (split between the ranks; "
          "default: no limit); with io.download, a 429 or 503 also holds that host back "
          "for its Retry-After"},
         {"io.per-host",
          "connections to one host the whole job holds at most, over every rank and node "
          "(split between the ranks; default: no cap)"},
         {"io.resume", "io.download: ask for no file the journal records as finished", Arity::flag},
         {"io.http2", "negotiate HTTP/2 (default HTTP/1.1 keep-alive)", Arity::flag},
         {"io.insecure", "do not verify TLS certificates", Arity::flag},
         {"io.max-redirects", "redirects followed per request (default 5)"},
         {"io.driver",
          "processes+async: node (one curl-multi driver per node) | rank (one per rank)"},
         {"io.serve", "start the embedded server on rank 0 for 'serve:' URLs", Arity::flag},
         {"io.serve-delay", "embedded server: delay of its default route, e.g. 100ms"},
         {"io.serve-size", "embedded server: body size of its default route, e.g. 1KiB"}}};
    for (OptionSpec& o : open_loop_options()) group.options.push_back(std::move(o));
    return group;
  }

  std::shared_ptr<const Workload> read(const OptionReader& r) const override {
    // Bounds that libcurl and the server can honour: timers in whole milliseconds of a long.
    constexpr double kMaxWait_s = 30 * 86400.0;
    IoSpec io;
    io.urls = r.list("io.url");
    r.path("io.url-file", io.url_file);
    r.integer("io.repeat", io.repeat, 1, 1'000'000'000);
    r.integer("io.concurrency", io.concurrency, 1, 100'000);
    r.duration("io.timeout", io.timeout_s, false, kMaxWait_s);
    r.duration("io.connect-timeout", io.connect_timeout_s, false, kMaxWait_s);
    r.integer("io.retries", io.retries, 0, 100);
    r.duration("io.backoff", io.backoff_s, true, kMaxWait_s);
    r.bytes("io.max-body", io.max_body, 1, static_cast<std::uint64_t>(INT64_MAX));
    r.text("io.output", io.output_dir);
    r.boolean("io.download", io.download);
    r.path("io.journal", io.journal);
    r.path("io.checksums", io.checksums_file);
    r.boolean("io.resume", io.resume);
    r.integer("io.per-host", io.per_host, 1, 1'000'000);
    r.fraction("io.rate-per-host", io.rate_per_host, 0, 1e9);
    if (io.download && io.output_dir.empty())
      r.fail("io.download", "needs io.output DIR, where the files go");
    if (io.download && io.repeat != 1) {
      r.fail("io.download", "fetches each file once; leave io.repeat at 1 (it is " +
                                std::to_string(io.repeat) + ")");
    }
    if ((io.resume || !io.journal.empty()) && !io.download) {
      r.fail(io.resume ? "io.resume" : "io.journal",
             "belongs to io.download; set --io.download too");
    }
    r.boolean("io.http2", io.http2);
    r.boolean("io.insecure", io.insecure);
    r.integer("io.max-redirects", io.max_redirects, 0, 100);
    r.choice<bool>("io.driver", io.driver_per_rank, {{"node", false}, {"rank", true}});
    r.boolean("io.serve", io.serve);
    r.duration("io.serve-delay", io.serve_delay_s, true, kMaxWait_s);
    r.bytes("io.serve-size", io.serve_size, 0, 1ull << 40);
    read_open_loop(r, io);
    check_fd_limit(r, io);
    if (io.urls.empty() && io.url_file.empty()) {
      const std::string at =
          r.from_file("workload") ? r.where("workload") : "--workload " + r.raw("workload");
      throw ConfigError(at + ": workload = io needs [io] url = ... or url-file = ...");
    }
    return std::make_shared<IoWorkload>(std::move(io));
  }

  std::shared_ptr<void> process_setup() const override { return std::make_shared<CurlGlobal>(); }
};

}  // namespace

const WorkloadType& io_workload_type() {
  static const IoType type;
  return type;
}

}  // namespace fanout
