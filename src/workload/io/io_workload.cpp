// [io]: its options, what it means to placement, studies and reports, and the URL list bound to
// the curl engines (with the embedded server, when the job asks for it).
#include "workload/io/io_workload.hpp"

#include <cmath>

#include "cli/format.hpp"
#include "cli/text.hpp"
#include "mpi/agree.hpp"
#include "server/server.hpp"
#include "workload/io/attempt.hpp"
#include "workload/io/body_file.hpp"
#include "workload/io/curl_global.hpp"
#include "workload/io/fd_limit.hpp"
#include "workload/io/io_engines.hpp"
#include "workload/io/io_spec.hpp"
#include "workload/io/url_plan.hpp"

namespace fanout {
namespace {

/// The embedded server for `serve:` URLs, on rank 0. Single node: 127.0.0.1. Several nodes: every
/// interface, addressed by rank 0's host name, so ranks on other nodes reach it.
std::unique_ptr<EmbeddedServer> start_server(World& world, const IoSpec& io, std::string& base_url) {
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

/// Requests that got an HTTP response (success, 4xx, 5xx) count toward latency; connect errors,
/// timeouts and other transfer failures do not, as in wrk.
bool got_response(const Sample& s) {
  return s.error == ErrorClass::none || s.error == ErrorClass::http_4xx ||
         s.error == ErrorClass::http_5xx;
}

class IoBound : public BoundWorkload {
 public:
  IoBound(const IoSpec& spec, const std::string& base_url, std::unique_ptr<EmbeddedServer> server)
      : spec_(spec),
        plan_(spec, base_url),
        bodies_(spec.output_dir.empty() ? nullptr : std::make_unique<BodyDir>(spec.output_dir)),
        server_(std::move(server)) {}

  TaskId count() const override { return plan_.count(); }

  std::unique_ptr<Executor> make_executor(Model model, int workers) override {
    return make_io_executor(model, workers, plan_, spec_, bodies_.get());
  }

 private:
  IoSpec spec_;
  UrlPlan plan_;
  std::unique_ptr<BodyDir> bodies_;
  std::unique_ptr<EmbeddedServer> server_;
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
            {"http2", io.http2},
            {"insecure", io.insecure},
            {"max_redirects", io.max_redirects},
            {"driver_per_rank", io.driver_per_rank},
            {"serve", io.serve},
            {"serve_delay_s", io.serve_delay_s},
            {"serve_size", io.serve_size}};
  }

  std::string describe(std::uint64_t tasks) const override {
    return "io, " + plural(tasks, "request") + " (" + url_list() + " x " +
           std::to_string(spec_.repeat) + "), concurrency " + std::to_string(spec_.concurrency) +
           ", timeout " + format_seconds(spec_.timeout_s) + ", retries " +
           std::to_string(spec_.retries);
  }

  std::string describe_short() const override {
    return "io, " + url_list() + ", concurrency " + std::to_string(spec_.concurrency);
  }

  std::vector<Model> compare_models() const override {
    return {Model::serial, Model::threads, Model::async, Model::processes, Model::processes_async};
  }

  PlacementHints placement() const override {
    PlacementHints h;
    // A pool as wide as the event loop's window, so the two compare at the same concurrency.
    h.pool_threads = spec_.concurrency;
    h.loop_slots = spec_.concurrency;
    h.loop_per_node = !spec_.driver_per_rank;
    h.uses_cores = false;
    return h;
  }

  Model study_model(int) const override { return Model::processes_async; }

  std::vector<StudyDefault> study_defaults(Model model) const override {
    if (model != Model::processes_async) return {};
    return {{"io.driver", "rank",
             "io.driver = rank: every rank runs its own curl-multi driver, so the workers of a "
             "point are its ranks (set io.driver to override)"}};
  }

  WeakKnob weak_knob() const override {
    return {"io.repeat", static_cast<std::uint64_t>(spec_.repeat), "passes over the URL list"};
  }

  RecordFields record_fields() const override { return http_record_fields(); }

  std::vector<ErrorClass> error_classes() const override {
    return {ErrorClass::connect, ErrorClass::timeout, ErrorClass::http_4xx, ErrorClass::http_5xx,
            ErrorClass::other};
  }

  bool in_histogram(const Sample& s) const override { return got_response(s); }
  bool keeps_records() const override { return true; }  // requests and bytes of the median run

  std::vector<Figure> figures(const FigureInput& in) const override {
    using Unit = Figure::Unit;
    const double requests = static_cast<double>(in.median_samples.size());
    double bytes = 0;
    for (const Sample& s : in.median_samples) bytes += static_cast<double>(kind_fields<HttpFields>(s).bytes);
    const double wall = in.median_wall_s;
    const double nan = std::nan("");
    const LatencyHistogram& h = in.histogram;
    return {{"requests", "", requests, Unit::count},
            {"bytes", "", bytes, Unit::count},
            {"requests_per_s", "req/s", wall > 0 ? requests / wall : nan, Unit::per_second},
            {"bytes_per_s", "MB/s", wall > 0 ? bytes / wall : nan, Unit::megabytes_per_second},
            {"latency_s.count", "", static_cast<double>(h.count()), Unit::count},
            {"latency_s.p50", "latency p50", h.percentile(50), Unit::seconds},
            {"latency_s.p90", "", h.percentile(90), Unit::seconds},
            {"latency_s.p99", "p99", h.percentile(99), Unit::seconds},
            {"latency_s.p999", "", h.percentile(99.9), Unit::seconds},
            {"latency_s.max", "", h.max(), Unit::seconds}};
  }

  std::vector<NamedPath> input_files() const override {
    return {{spec_.url_file, "--io.url-file"}};
  }

  std::vector<NamedPath> output_dirs() const override {
    if (spec_.output_dir.empty()) return {};
    return {{spec_.output_dir, "--io.output"}};
  }

  std::string worker_noun(Model model) const override {
    return event_loop(model) ? "transfers in flight" : "workers";
  }

  std::unique_ptr<BoundWorkload> bind(World& world) const override {
    std::string base_url;
    std::unique_ptr<EmbeddedServer> server;
    if (spec_.serve) server = start_server(world, spec_, base_url);
    return std::make_unique<IoBound>(spec_, base_url, std::move(server));
  }

 private:
  std::string url_list() const {
    std::string list = spec_.urls.empty() ? "" : plural(spec_.urls.size(), "URL");
    if (!spec_.url_file.empty()) list += (list.empty() ? "" : " + ") + std::string("URLs from ") + spec_.url_file;
    return list;
  }

  IoSpec spec_;
};

/// One socket per transfer in flight (twice on rank 0 when the embedded server answers them in
/// the same process): raise the open-file limit for them, or refuse the concurrency up front.
void check_fd_limit(const OptionReader& r, const IoSpec& io) {
  const std::uint64_t per_transfer = io.serve ? 2 : 1;
  const std::uint64_t needed = static_cast<std::uint64_t>(io.concurrency) * per_transfer + kReservedFds;
  const std::uint64_t limit = raise_fd_limit(needed);
  if (limit >= needed) return;
  const std::uint64_t most = limit > kReservedFds ? (limit - kReservedFds) / per_transfer : 0;
  r.fail("io.concurrency",
         "needs about " + std::to_string(needed) + " open files (a socket per transfer in flight" +
             (io.serve ? ", and one more for the embedded server's side of each" : "") +
             ", plus " + std::to_string(kReservedFds) + "), but this process may open " +
             std::to_string(limit) + " (ulimit -n, hard limit reached); use io.concurrency " +
             (most > 0 ? "of at most " + std::to_string(most) : "lower") + ", or raise ulimit -Hn");
}

class IoType : public WorkloadType {
 public:
  std::string_view name() const override { return "io"; }

  OptionGroup options() const override {
    using Arity = OptionSpec::Arity;
    return {"[io] I/O-bound workload",
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
             {"io.http2", "negotiate HTTP/2 (default HTTP/1.1 keep-alive)", Arity::flag},
             {"io.insecure", "do not verify TLS certificates", Arity::flag},
             {"io.max-redirects", "redirects followed per request (default 5)"},
             {"io.driver",
              "processes+async: node (one curl-multi driver per node) | rank (one per rank)"},
             {"io.serve", "start the embedded server on rank 0 for 'serve:' URLs", Arity::flag},
             {"io.serve-delay", "embedded server: delay of its default route, e.g. 100ms"},
             {"io.serve-size", "embedded server: body size of its default route, e.g. 1KiB"}}};
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
    r.boolean("io.http2", io.http2);
    r.boolean("io.insecure", io.insecure);
    r.integer("io.max-redirects", io.max_redirects, 0, 100);
    r.choice<bool>("io.driver", io.driver_per_rank, {{"node", false}, {"rank", true}});
    r.boolean("io.serve", io.serve);
    r.duration("io.serve-delay", io.serve_delay_s, true, kMaxWait_s);
    r.bytes("io.serve-size", io.serve_size, 0, 1ull << 40);
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
