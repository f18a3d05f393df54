// Renders the speedup and efficiency plots of a study as gnuplot scripts.
#include "study/gnuplot_script.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "cli/format.hpp"

namespace fanout {
namespace {

constexpr const char* kColors[] = {"#0077bb", "#ee7733", "#009988", "#cc3311",
                                   "#33bbee", "#ee3377", "#555555"};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string fixed3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

/// A gnuplot single-quoted string: only the quote itself needs escaping (doubled).
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

/// Points with a speedup, grouped by threads per rank.
std::map<int, std::vector<const PointResult*>> series(const StudyReport& r) {
  std::map<int, std::vector<const PointResult*>> out;
  for (const auto& p : r.points) {
    if (p.speedup) out[p.point.threads].push_back(&p);
  }
  return out;
}

}  // namespace

std::string plot_name(PlotKind kind) {
  return kind == PlotKind::speedup ? "speedup" : "efficiency";
}

bool has_plot_data(const StudyReport& r) {
  for (const auto& p : r.points) {
    if (p.speedup && p.point.workers > 1) return true;
  }
  return false;
}

std::string render_gnuplot_script(const StudyReport& r, PlotKind kind,
                                  const PlotTerminals& terminals) {
  const bool speedup = kind == PlotKind::speedup;
  const bool strong = r.spec.mode == ScaleMode::strong;
  const std::string name = plot_name(kind);
  const double base_s = r.base_index ? r.points[*r.base_index].wall_s : NAN;
  std::string out = "# fanout scale: " + name + " vs workers, job " + r.job.name + ", " +
                    to_string(r.spec.mode) + " scaling. Run in this folder: gnuplot " + name +
                    ".gp\n";
  // Data: workers, value, lower, upper (from the 95 % interval of the median wall).
  const auto groups = series(r);
  std::set<int> workers;
  for (const auto& [threads, points] : groups) {
    out += "$t" + std::to_string(threads) + " << EOD\n# workers " + name + " lower upper point\n";
    for (const PointResult* p : points) {
      const double scale = p->point.work_factor * base_s / (speedup ? 1.0 : p->point.workers);
      const double value = speedup ? *p->speedup : *p->efficiency;
      const double lower = p->wall_ci.upper > 0 ? scale / p->wall_ci.upper : value;
      const double upper = p->wall_ci.lower > 0 ? scale / p->wall_ci.lower : value;
      const double pct = speedup ? 1 : 100;
      out += std::to_string(p->point.workers) + " " + num(value * pct) + " " + num(lower * pct) +
             " " + num(upper * pct) + " " + p->point.key() + "\n";
      workers.insert(p->point.workers);
    }
    out += "EOD\n";
  }
  const int max_p = workers.empty() ? 1 : *workers.rbegin();
  std::string xtics;
  for (int w : workers) xtics += (xtics.empty() ? "" : ", ") + std::to_string(w);

  out += "set title " +
         quoted(r.job.name + ": " + to_string(r.spec.mode) + " scaling, " + name + " vs workers" +
                (r.base_index ? " (base 1x1: " + format_seconds(base_s) + ")" : "")) +
         "\n";
  out += "set xlabel 'workers p = ranks x threads'\n";
  if (speedup) {
    out += std::string("set ylabel ") +
           (strong ? "'speedup S = T(1x1) / T(p)'" : "'scaled speedup S = p T(1x1) / T(p)'") + "\n";
  } else {
    out += "set ylabel 'efficiency S / p (%)'\n";
  }
  out += "set xrange [0:" + std::to_string(max_p + 1) + "]\nset yrange [0:*]\n";
  // Speedup rises to the right, efficiency usually falls: keep the key off the points.
  out += "set xtics (" + xtics + ")\nset grid\nset key " + (speedup ? "top left" : "bottom left") +
         " Left reverse box opaque\nset samples 400\n";

  std::vector<std::string> plots;
  if (speedup) {
    plots.push_back("x title 'ideal' with lines dashtype 2 linecolor rgb '#888888'");
    if (r.fit) {
      const double f = r.fit->serial_fraction;
      out += "f = " + num(f) + "\n";
      out += strong ? "law(p) = 1 / (f + (1 - f) / p)\n" : "law(p) = p - f * (p - 1)\n";
      plots.push_back("law(x) title " +
                      quoted(std::string(strong ? "Amdahl" : "Gustafson") +
                             " fit, f = " + fixed3(f) + ", R² = " + fixed3(r.fit->r_squared)) +
                      " with lines linecolor rgb '#999933'");
    }
  } else {
    plots.push_back("100 title 'ideal' with lines dashtype 2 linecolor rgb '#888888'");
    plots.push_back(num(r.spec.efficiency_threshold * 100) + " title " +
                    quoted("threshold " + format_percent(r.spec.efficiency_threshold)) +
                    " with lines dashtype 3 linecolor rgb '#cc3311'");
  }
  int i = 0;
  for (const auto& [threads, points] : groups) {
    plots.push_back(
        "$t" + std::to_string(threads) + " using 1:2:3:4 title " +
        quoted(std::to_string(threads) + " thread" + (threads == 1 ? "" : "s") + " per rank") +
        " with yerrorlines pointtype 7 linewidth 2 linecolor rgb '" + kColors[i++ % 7] + "'");
  }
  std::string plot = "plot ";
  for (std::size_t k = 0; k < plots.size(); ++k) plot += (k ? ", \\\n     " : "") + plots[k];
  plot += "\n";

  out += "set terminal " + terminals.png + " size 900,600 noenhanced\n";
  out += "set output '" + name + ".png'\n" + plot;
  if (terminals.svg) {
    out += "set terminal svg size 900,600 noenhanced\n";
    out += "set output '" + name + ".svg'\n" + plot;
  }
  out += "unset output\n";
  return out;
}

}  // namespace fanout
