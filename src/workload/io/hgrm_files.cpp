// Rendering an open-loop run's .hgrm files and their gnuplot scripts.
#include "workload/io/hgrm_files.hpp"

#include "cli/format.hpp"
#include "timing/percentile_spectrum.hpp"

namespace fanout {
namespace {

/// A gnuplot single-quoted string: only the quote itself needs escaping (doubled).
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::vector<std::string> hgrm_bases(std::size_t steps) {
  std::vector<std::string> out;
  for (std::size_t i = 1; i <= steps; ++i) out.push_back("step" + std::to_string(i));
  out.push_back("total");
  return out;
}

std::vector<std::string> hgrm_file_names(std::size_t steps) {
  std::vector<std::string> out;
  for (const std::string& base : hgrm_bases(steps)) {
    for (const char* ext : {".corrected.hgrm", ".uncorrected.hgrm", ".gp", ".png"})
      out.push_back(base + ext);
  }
  return out;
}

std::string render_hgrm_plot(const std::string& base, const std::string& title) {
  std::string out =
      "# fanout: latency by percentile, corrected (from each request's intended "
      "start) and uncorrected (from its send). Run in this folder: gnuplot " +
      base + ".gp\n";
  out += "set title " + quoted(title) + "\n";
  out += "set xlabel 'percentile'\nset ylabel 'latency (ms)'\n";
  // HdrHistogram's plotter: x = 1/(1 - percentile) on a log scale, each decade one more nine.
  out += "set logscale x\nset xrange [1:*]\nset yrange [0:*]\n";
  out +=
      "set xtics ('0%%' 1, '90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 10000, "
      "'99.999%%' 100000, '99.9999%%' 1000000)\n";
  // The curves end high on the right: headroom above them keeps the key off them.
  out += "set grid\nset offsets 0, 0, graph 0.2, 0\nset key top left Left reverse box opaque\n";
  out +=
      "if (strstrt(GPVAL_TERMINALS, ' pngcairo ') > 0) { set terminal pngcairo size 900,600 "
      "noenhanced } else { set terminal png size 900,600 noenhanced }\n";
  out += "set output " + quoted(base + ".png") + "\n";
  // Column 4 is 1/(1 - percentile), column 1 the value; the header and the last row (100 %, no
  // fourth column) are skipped as lines without those numbers.
  out += "plot " + quoted(base + ".corrected.hgrm") +
         " using 4:1 title 'corrected (from the intended start)' with lines linewidth 2 "
         "linecolor rgb '#cc3311', \\\n     " +
         quoted(base + ".uncorrected.hgrm") +
         " using 4:1 title 'uncorrected (from the send)' with lines linewidth 2 linecolor rgb "
         "'#0077bb'\n";
  out += "unset output\n";
  return out;
}

std::vector<RunDetails::Output> hgrm_outputs(const OpenLoopTally& tally,
                                             const RateSchedule& schedule, const std::string& dir) {
  const auto& steps = tally.steps();
  const std::vector<std::string> bases = hgrm_bases(steps.size());
  std::vector<RunDetails::Output> out;
  const auto add = [&](const std::string& base, const StepTally& t, const std::string& what) {
    out.push_back({dir, base + ".corrected.hgrm", render_hgrm(t.corrected)});
    out.push_back({dir, base + ".uncorrected.hgrm", render_hgrm(t.uncorrected)});
    out.push_back({dir, base + ".gp", render_hgrm_plot(base, what + ": latency by percentile")});
  };
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const double rate = i < schedule.steps() ? schedule.rates()[i] : 0;
    add(bases[i], steps[i], "step " + std::to_string(i + 1) + " at " + format_rate(rate));
  }
  add(bases.back(), tally.total(), "every step");
  return out;
}

}  // namespace fanout
