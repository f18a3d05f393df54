// Renders the points of a study as CSV rows.
#include "study/study_csv.hpp"

#include <limits>

#include "cli/format.hpp"
#include "report/csv_report.hpp"

namespace fanout {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string exact(std::optional<double> v) { return format_exact(v.value_or(kNaN)); }

}  // namespace

std::string render_study_csv(const StudyReport& r) {
  std::string out =
      "key,ranks,threads,workers,model,work_factor,status,tasks,repetitions,wall_s,"
      "wall_ci95_lower_s,wall_ci95_upper_s,wall_ci95_level,wall_cv,speedup,efficiency,karp_flatt,"
      "failed_tasks,launch_s,error,nodes,job_id,job_state\n";
  for (const auto& p : r.points) {
    const bool measured = p.ok && !p.walls_s.empty();
    const auto m = [&](double v) { return format_exact(measured ? v : kNaN); };
    const std::vector<std::string> fields = {
        p.point.key(),
        std::to_string(p.point.ranks),
        std::to_string(p.point.threads),
        std::to_string(p.point.workers),
        to_string(p.point.model),
        std::to_string(p.point.work_factor),
        !p.launched ? "not_run" : (p.ok ? "ok" : "failed"),
        std::to_string(p.tasks),
        std::to_string(p.walls_s.size()),
        m(p.wall_s),
        m(p.wall_ci.lower),
        m(p.wall_ci.upper),
        m(p.wall_ci.level),
        m(p.wall_cv),
        exact(p.speedup),
        exact(p.efficiency),
        exact(p.karp_flatt),
        std::to_string(p.failed_tasks),
        p.launched ? format_exact(p.launch_s) : "",
        csv_field(p.error),
        p.point.nodes > 0 ? std::to_string(p.point.nodes) : "",
        csv_field(p.job_id),
        csv_field(p.job_state),
    };
    for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + fields[i];
    out += "\n";
  }
  return out;
}

}  // namespace fanout
