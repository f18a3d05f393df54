// Analysis, plots, files and table at the end of a study.
#include "study/study_output.hpp"

#include "report/writer.hpp"
#include "study/plots.hpp"
#include "study/study_analysis.hpp"
#include "study/study_csv.hpp"
#include "study/study_json.hpp"
#include "study/study_table.hpp"

namespace fanout {

void write_study_files(const StudyReport& report, const std::string& out_dir) {
  write_file_atomically(out_dir + "/study.json", render_study_json(report));
  write_file_atomically(out_dir + "/study.csv", render_study_csv(report));
}

void finish_study(StudyReport& report, const std::string& out_dir, bool draw, bool quiet,
                  std::ostream& out, std::ostream& err, const StopFlag* stop) {
  analyze(report);
  if (draw) {
    const PlotOutcome plots = draw_plots(report, out_dir, stop);
    report.plots = plots.files;
    for (const auto& problem : plots.problems) err << "fanout: warning: " << problem << "\n";
  }
  write_study_files(report, out_dir);
  if (!quiet) out << render_study_table(report, out_dir);
}

}  // namespace fanout
