// The percentile spectrum: HdrHistogram's percentile-distribution text from a LatencyHistogram.
#include "timing/percentile_spectrum.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

namespace fanout {
namespace {

struct Row {
  double value_ms, percentile;
  unsigned long long count;
};

std::vector<Row> rows(const std::string& text) {
  std::vector<Row> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    Row r{};
    if (std::sscanf(line.c_str(), "%lf %lf %llu", &r.value_ms, &r.percentile, &r.count) == 3)
      out.push_back(r);
  }
  return out;
}

TEST(RenderHgrm, RowsClimbToOneHundredPercentAtTheMaxWithTheFormatsHeaderAndFooter) {
  LatencyHistogram h;
  for (int us = 1; us <= 10000; ++us) h.record(us * 1e-6);
  const std::string text = render_hgrm(h);
  EXPECT_EQ(text.rfind("       Value     Percentile TotalCount 1/(1-Percentile)\n\n", 0), 0u);
  EXPECT_NE(text.find("#[Max     =       10.000, Total count    =        10000]"),
            std::string::npos)
      << text;
  const std::vector<Row> r = rows(text.substr(text.find("\n\n")));
  ASSERT_GT(r.size(), 50u);
  EXPECT_DOUBLE_EQ(r.front().percentile, 0);
  EXPECT_DOUBLE_EQ(r.back().percentile, 1);
  EXPECT_EQ(r.back().count, 10000u);
  EXPECT_DOUBLE_EQ(r.back().value_ms, 10);
  for (std::size_t i = 1; i < r.size(); ++i) {
    EXPECT_GT(r[i].percentile, r[i - 1].percentile) << i;
    EXPECT_GE(r[i].value_ms, r[i - 1].value_ms) << i;
    EXPECT_GE(r[i].count, r[i - 1].count) << i;
  }
  // The 50 % row is the median within the histogram's 0.78 %.
  const auto median =
      std::find_if(r.begin(), r.end(), [](const Row& row) { return row.percentile == 0.5; });
  ASSERT_NE(median, r.end());
  EXPECT_NEAR(median->value_ms, 5.0, 5.0 * 0.0078);
}

TEST(RenderHgrm, AnEmptyHistogramGivesTheHeaderAndACountOfZero) {
  const std::string text = render_hgrm(LatencyHistogram{});
  EXPECT_TRUE(rows(text.substr(text.find("\n\n"))).empty());
  EXPECT_NE(text.find("Total count    =            0]"), std::string::npos) << text;
}

TEST(Spectrum, RunsFromTheMedianToTheMax) {
  EXPECT_EQ(kSpectrum.front().percentile, 50);
  EXPECT_EQ(kSpectrum.back().key, "max");
  EXPECT_EQ(kSpectrum[5].label, "p99.99");
}

}  // namespace
}  // namespace fanout
