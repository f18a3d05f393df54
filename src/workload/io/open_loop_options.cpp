// The open-loop options of [io]: help, reading and checks, and the schedule they give.
#include "workload/io/open_loop_options.hpp"

#include <stdexcept>

#include "cli/config_error.hpp"
#include "cli/format.hpp"

namespace fanout {

std::vector<OptionSpec> open_loop_options() {
  return {{"io.rate",
           "open loop: requests per second the whole job starts, over every rank, evenly spaced "
           "whatever the answers take; latency counts from each request's intended start "
           "(coordinated omission corrected) and from its send; a staircase '1000,2000,4000' "
           "runs each rate for io.step (default: closed loop)"},
          {"io.step",
           "open loop: how long each rate of io.rate runs, e.g. 10s; sets the request count "
           "(the URL list walked again as needed); default: one rate over the list"},
          {"io.at-cap",
           "open loop, when io.concurrency transfers are in flight at a request's intended "
           "start: queue (send it when one ends, latency still from the intended start; "
           "default) | drop (count it and send nothing)"},
          {"io.hgrm",
           "open loop: a directory (created if missing) for the corrected and uncorrected "
           "percentile distributions, per step and in all, as HdrHistogram's .hgrm files in a "
           "folder per model (DIR/async/step1.corrected.hgrm ...), each step's two curves "
           "plotted by a gnuplot script (step1.gp, drawn as .png when gnuplot is on PATH); the "
           "JSON's runs[].details.open_loop.hgrm holds the same text"}};
}

namespace {

/// Most requests an open-loop staircase may hold (io.rate times io.step, over its steps).
constexpr double kMaxOpenLoopRequests = 1e9;

}  // namespace

void read_open_loop(const OptionReader& r, IoSpec& io) {
  if (r.has("io.rate")) {
    try {
      io.rates = parse_rates(r.raw("io.rate"));
    } catch (const std::invalid_argument& e) {
      r.fail("io.rate", e.what());
    }
  }
  r.duration("io.step", io.step_s, false, 30 * 86400.0);
  r.choice<bool>("io.at-cap", io.drop_at_cap, {{"queue", false}, {"drop", true}});
  r.path("io.hgrm", io.hgrm_dir);
  if (io.rates.empty()) {
    for (const char* key : {"io.step", "io.at-cap", "io.hgrm"}) {
      if (r.has(key)) r.fail(key, "belongs to an open-loop run; set io.rate too");
    }
    return;
  }
  if (io.download)
    r.fail("io.rate",
           "paces requests for a measurement; a download (io.download) "
           "fetches each file once as fast as it may, so leave one out");
  if (io.rates.size() > 1 && io.step_s == 0) {
    r.fail("io.rate", "a staircase of " + std::to_string(io.rates.size()) +
                          " rates needs io.step, how long each runs (e.g. 10s)");
  }
  if (io.step_s == 0) return;
  if (r.has("io.repeat")) {
    r.fail("io.repeat", "io.step sets the request count of an open-loop run; leave io.repeat out");
  }
  double requests = 0;
  for (double rate : io.rates) requests += rate * io.step_s;
  if (requests > kMaxOpenLoopRequests) {
    r.fail("io.step", "with io.rate it makes " + format_number(requests) + " requests, more than " +
                          format_number(kMaxOpenLoopRequests) +
                          "; use a shorter step or lower rates");
  }
  try {
    RateSchedule(io.rates, io.step_s);
  } catch (const std::invalid_argument& e) {
    r.fail("io.step", e.what());
  }
}

RateSchedule open_loop_schedule(const IoSpec& io, TaskId tasks) {
  if (io.step_s > 0) return RateSchedule(io.rates, io.step_s);
  return RateSchedule::for_count(io.rates.front(), tasks);
}

std::string describe_open_loop(const IoSpec& io) {
  if (io.rates.empty()) return "";
  std::string rates;
  for (double r : io.rates) rates += (rates.empty() ? "" : ", ") + format_rate(r);
  return ", open loop at " + rates +
         (io.step_s > 0 ? " for " + format_seconds(io.step_s) + " each" : "") +
         (io.drop_at_cap ? ", dropping at the cap" : ", queueing at the cap");
}

}  // namespace fanout
