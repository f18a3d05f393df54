// io.hgrm's files: their names per step, the gnuplot script that draws both curves,
// and the .hgrm texts of each step and of the whole run.
#include "workload/io/hgrm_files.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "workload/io/attempt.hpp"
#include "workload/io/open_loop.hpp"

namespace fanout {
namespace {

TEST(HgrmFiles, NamesPerStepThenTheTotal) {
  EXPECT_EQ(hgrm_bases(2), (std::vector<std::string>{"step1", "step2", "total"}));
  EXPECT_EQ(hgrm_file_names(1),
            (std::vector<std::string>{"step1.corrected.hgrm", "step1.uncorrected.hgrm", "step1.gp",
                                      "step1.png", "total.corrected.hgrm", "total.uncorrected.hgrm",
                                      "total.gp", "total.png"}));
}

TEST(HgrmFiles, ThePlotDrawsBothCurvesOnTheNinesScale) {
  EXPECT_EQ(render_hgrm_plot("step1", "step 1 at 400/s: it's latency"),
            "# fanout: latency by percentile, corrected (from each request's intended start) and "
            "uncorrected (from its send). Run in this folder: gnuplot step1.gp\n"
            "set title 'step 1 at 400/s: it''s latency'\n"
            "set xlabel 'percentile'\n"
            "set ylabel 'latency (ms)'\n"
            "set logscale x\n"
            "set xrange [1:*]\n"
            "set yrange [0:*]\n"
            "set xtics ('0%%' 1, '90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 10000, "
            "'99.999%%' 100000, '99.9999%%' 1000000)\n"
            "set grid\n"
            "set offsets 0, 0, graph 0.2, 0\n"
            "set key top left Left reverse box opaque\n"
            "if (strstrt(GPVAL_TERMINALS, ' pngcairo ') > 0) { set terminal pngcairo size "
            "900,600 noenhanced } else { set terminal png size 900,600 noenhanced }\n"
            "set output 'step1.png'\n"
            "plot 'step1.corrected.hgrm' using 4:1 title 'corrected (from the intended "
            "start)' with lines linewidth 2 linecolor rgb '#cc3311', \\\n"
            "     'step1.uncorrected.hgrm' using 4:1 title 'uncorrected (from the send)' "
            "with lines linewidth 2 linecolor rgb '#0077bb'\n"
            "unset output\n");
}

/// A paced request of step `step`, sent `wait_s` after its intended start, answered 1 ms later.
Sample paced(std::uint16_t step, double intended_s, double wait_s) {
  PacedStart p;
  p.intended_s = intended_s;
  p.step = step;
  p.intended = Clock::time_point{} + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(intended_s));
  AttemptResult r;
  r.http_status = 200;
  Sample s = http_result(r);
  record_pacing(s, p,
                p.intended + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(wait_s)));
  s.start_s = intended_s;
  s.duration_s = wait_s + 0.001;
  return s;
}

TEST(HgrmFiles, EachStepAndTheTotalGetBothDistributionsAndAScript) {
  OpenLoopTally t;
  for (int k = 0; k < 10; ++k) t.add(paced(0, k * 0.1, 0), true);
  for (int k = 0; k < 20; ++k) t.add(paced(1, 1 + k * 0.05, 0.1), true);
  const RateSchedule schedule({10, 20}, 1);
  const std::vector<RunDetails::Output> out = hgrm_outputs(t, schedule, "out/h");
  ASSERT_EQ(out.size(), 9u);
  for (const RunDetails::Output& o : out) EXPECT_EQ(o.dir, "out/h");
  EXPECT_EQ(out[0].name, "step1.corrected.hgrm");
  EXPECT_EQ(out[4].name, "step2.uncorrected.hgrm");
  EXPECT_EQ(out[5].name, "step2.gp");
  EXPECT_EQ(out[8].name, "total.gp");
  EXPECT_NE(out[0].text.find("Total count    =           10"), std::string::npos);
  EXPECT_NE(out[6].text.find("Total count    =           30"), std::string::npos);
  // Step 2 waited 100 ms before each send: corrected max 101 ms, uncorrected 1 ms.
  EXPECT_NE(out[3].text.find("#[Max     =      101."), std::string::npos) << out[3].text;
  EXPECT_NE(out[4].text.find("#[Max     =        1.0"), std::string::npos) << out[4].text;
  EXPECT_NE(out[5].text.find("set title 'step 2 at 20/s: latency by percentile'"),
            std::string::npos);
  EXPECT_NE(out[8].text.find("set title 'every step: latency by percentile'"), std::string::npos);
}

}  // namespace
}  // namespace fanout
