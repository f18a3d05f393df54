// Rendering an open-loop run's tally: figures, a row per step, sends per rank, warnings.
#include "workload/io/open_loop_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cli/format.hpp"
#include "timing/percentile_spectrum.hpp"
#include "workload/io/hgrm_files.hpp"
#include "workload/io/open_loop.hpp"
#include "workload/io/open_loop_options.hpp"

namespace fanout {
namespace {

nlohmann::json spectrum_json(const LatencyHistogram& h) {
  nlohmann::json out = {{"count", h.count()}};
  for (const SpectrumPoint& p : kSpectrum) {
    const double v = h.percentile(p.percentile);
    out[std::string(p.key)] = std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
  }
  return out;
}

std::string spectrum_cells(const LatencyHistogram& h) {
  std::string out;
  for (const SpectrumPoint& p : kSpectrum) {
    char cell[24];
    std::snprintf(cell, sizeof cell, " %10s", format_seconds(h.percentile(p.percentile)).c_str());
    out += cell;
  }
  return out;
}

std::string rank_rates(const StepTally& t) {
  std::string out;
  for (const auto& [rank, span] : t.ranks) {
    out += (out.empty() ? "" : ", ") + std::string("rank ") + std::to_string(rank) + " " +
           format_rate(span.rate());
  }
  return out;
}

nlohmann::json generator_json(const StepTally& t) {
  const GeneratorLoad& g = t.generator;
  return {{"cpu_share", g.cpu_share()},
          {"run_wait_share", g.wait_share()},
          {"behind_while_saturated", g.behind_saturated},
          {"verdict", to_string(judge_generator(t.sent.count, t.late, g.behind_saturated))}};
}

nlohmann::json step_json(const StepTally& t, double target) {
  nlohmann::json ranks = nlohmann::json::array();
  for (const auto& [rank, span] : t.ranks) {
    ranks.push_back({{"rank", rank}, {"sent", span.count}, {"achieved_per_s", span.rate()}});
  }
  return {{"target_per_s", target},
          {"achieved_per_s", t.sent.rate()},
          {"sent", t.sent.count},
          {"queued", t.queued},
          {"late", t.late},
          {"dropped", t.dropped},
          {"failed", t.failed},
          {"corrected_s", spectrum_json(t.corrected)},
          {"uncorrected_s", spectrum_json(t.uncorrected)},
          {"generator", generator_json(t)},
          {"ranks", ranks}};
}

std::string share_of(std::uint64_t part, std::uint64_t whole) {
  return std::to_string(part) + " of " + std::to_string(whole) + " requests (" +
         format_percent(static_cast<double>(part) / static_cast<double>(whole)) + ")";
}

/// The step's warnings: the generator could not hold the rate, requests started late all the
/// same, or the rate was not held.
void warn(const StepTally& t, double target, const std::string& which,
          std::vector<RunDetails::Warning>& out) {
  const GeneratorLoad& g = t.generator;
  const GeneratorVerdict verdict = judge_generator(t.sent.count, t.late, g.behind_saturated);
  switch (verdict) {
    case GeneratorVerdict::could_not_hold:
      out.push_back(
          {"generator_limited",
           which + "the generator could not hold the rate: " +
               share_of(g.behind_saturated, t.sent.count) +
               " started behind their intended start while the thread starting them was "
               "CPU-bound or starved (on average it ran " +
               format_percent(g.cpu_share()) + " of the time and waited for a CPU " +
               format_percent(g.wait_share()) +
               "); the server was not the limit then, and the figures are this client's: give "
               "the generator more cores, ranks or nodes, or a lower rate"});
      break;
    case GeneratorVerdict::late_unexplained:
      out.push_back({"generator_late",
                     which + share_of(t.late, t.sent.count) + " were sent over " +
                         format_seconds(kLateAfterS) +
                         " after their intended start with a transfer free, though the thread "
                         "starting them was neither CPU-bound nor starved; their latency still "
                         "counts from the intended start"});
      break;
    case GeneratorVerdict::held:
      break;
  }
  const double achieved = t.sent.rate();
  if (t.sent.count >= 2 && achieved < kRateHeldShare * target) {
    out.push_back({"rate_not_held",
                   which + "achieved " + format_rate(achieved) + ", " +
                       format_percent(achieved / target) + " of the target " + format_rate(target) +
                       (verdict == GeneratorVerdict::could_not_hold
                            ? " (the generator's limit, above)"
                            : std::string(t.dropped > 0 ? " (requests dropped at the cap)" : "") +
                                  (t.queued > 0 ? " (requests queued at the cap)" : ""))});
  }
}

/// The corrected points that are table columns too.
std::string corrected_column(std::string_view key) {
  if (key == "p50") return "corrected p50";
  if (key == "p99" || key == "max") return std::string(key);
  if (key == "p9999") return "p99.99";
  return "";
}

}  // namespace

double target_rate(const RateSchedule& schedule) {
  double seconds = 0;
  for (std::size_t i = 0; i < schedule.steps(); ++i) seconds += schedule.step_seconds(i);
  return seconds > 0 ? static_cast<double>(schedule.total()) / seconds : 0;
}

std::vector<Figure> open_loop_figures(const OpenLoopTally& tally, const RateSchedule& schedule) {
  using Unit = Figure::Unit;
  const StepTally all = tally.total();
  std::vector<Figure> out = {
      {"rate.target_per_s", "target/s", target_rate(schedule), Unit::per_second},
      {"rate.achieved_per_s", "sent/s", all.sent.rate(), Unit::per_second},
      {"rate.late", "", static_cast<double>(all.late), Unit::count},
      {"rate.queued", "", static_cast<double>(all.queued), Unit::count},
      {"rate.dropped", "", static_cast<double>(all.dropped), Unit::count}};
  for (const SpectrumPoint& p : kSpectrum) {
    out.push_back({"corrected_s." + std::string(p.key), corrected_column(p.key),
                   all.corrected.percentile(p.percentile), Unit::seconds});
  }
  for (const SpectrumPoint& p : kSpectrum) {
    out.push_back({"uncorrected_s." + std::string(p.key), "",
                   all.uncorrected.percentile(p.percentile), Unit::seconds});
  }
  return out;
}

void add_open_loop_details(const OpenLoopTally& tally, const RateSchedule& schedule,
                           bool drop_at_cap, bool hgrm, RunDetails& details) {
  const StepTally all = tally.total();
  auto& lines = details.lines;
  lines.push_back("open loop: target " + format_rate(target_rate(schedule)) + ", sent " +
                  format_rate(all.sent.rate()) + " (" + rank_rates(all) + "); " +
                  std::to_string(all.queued) + " queued at the cap, " + std::to_string(all.late) +
                  " late, " + std::to_string(all.dropped) +
                  " dropped (at the cap: " + (drop_at_cap ? "drop" : "queue") + ")");
  std::string header = "step   target/s     sent/s  latency from  ";
  for (const SpectrumPoint& p : kSpectrum) {
    char cell[24];
    std::snprintf(cell, sizeof cell, " %10s", std::string(p.label).c_str());
    header += cell;
  }
  lines.push_back(header);
  nlohmann::json steps = nlohmann::json::array();
  const auto& by_step = tally.steps();
  for (std::size_t i = 0; i < by_step.size(); ++i) {
    const StepTally& t = by_step[i];
    const double target = i < schedule.steps() ? schedule.rates()[i] : 0;
    char lead[64];
    std::snprintf(lead, sizeof lead, "%4zu %10s %10s", i + 1, format_rate(target).c_str(),
                  format_rate(t.sent.rate()).c_str());
    lines.push_back(std::string(lead) + "  intended start" + spectrum_cells(t.corrected));
    lines.push_back(std::string(26, ' ') + "  send          " + spectrum_cells(t.uncorrected));
    steps.push_back(step_json(t, target));
    warn(t, target, by_step.size() > 1 ? "step " + std::to_string(i + 1) + ": " : "",
         details.warnings);
  }
  details.json["open_loop"] = {
      {"target_per_s", target_rate(schedule)},          {"achieved_per_s", all.sent.rate()},
      {"at_cap", drop_at_cap ? "drop" : "queue"},       {"late_after_s", kLateAfterS},
      {"total", step_json(all, target_rate(schedule))}, {"steps", steps}};
  // What the generator's verdicts were judged against (generator_check.hpp).
  details.json["open_loop"]["generator_bounds"] = {{"busy_share", kBusyPct / 100.0},
                                                   {"starved_share", kStarvedPct / 100.0},
                                                   {"window_s", kLoadWindowS},
                                                   {"warn_share", kLateWarnShare}};
  if (!hgrm) return;
  const auto distributions = [](const StepTally& t) -> nlohmann::json {
    return {{"corrected", render_hgrm(t.corrected)}, {"uncorrected", render_hgrm(t.uncorrected)}};
  };
  nlohmann::json texts = {{"total", distributions(all)}, {"steps", nlohmann::json::array()}};
  for (const StepTally& t : by_step) texts["steps"].push_back(distributions(t));
  details.json["open_loop"]["hgrm"] = std::move(texts);
}

KindSummary open_loop_summary(const IoTally& tally, const IoSpec& spec, double wall_s) {
  using Unit = Figure::Unit;
  const double nan = std::nan("");
  const auto requests = static_cast<double>(tally.requests);
  const auto bytes = static_cast<double>(tally.bytes);
  const RateSchedule schedule =
      open_loop_schedule(spec, std::max<std::uint64_t>(1, tally.requests));
  KindSummary out;
  out.figures = {
      {"requests", "", requests, Unit::count},
      {"bytes", "", bytes, Unit::count},
      {"requests_per_s", "", wall_s > 0 ? requests / wall_s : nan, Unit::per_second},
      {"bytes_per_s", "MB/s", wall_s > 0 ? bytes / wall_s : nan, Unit::megabytes_per_second}};
  for (Figure& f : open_loop_figures(tally.open_loop, schedule))
    out.figures.push_back(std::move(f));
  const LatencyHistogram uncorrected = tally.open_loop.total().uncorrected;
  out.figures.push_back(
      {"latency_s.count", "", static_cast<double>(uncorrected.count()), Unit::count});
  for (const SpectrumPoint& p : kSpectrum) {
    out.figures.push_back({"latency_s." + std::string(p.key), "",
                           uncorrected.percentile(p.percentile), Unit::seconds});
  }
  const bool hgrm = !spec.hgrm_dir.empty();
  add_open_loop_details(tally.open_loop, schedule, spec.drop_at_cap, hgrm, out.details);
  if (hgrm) {
    out.details.outputs = hgrm_outputs(tally.open_loop, schedule, spec.hgrm_dir);
    for (const RunDetails::Output& o : out.details.outputs) {
      if (o.name.ends_with(".gp")) out.details.plots.push_back(o.name);
    }
  }
  return out;
}

}  // namespace fanout
