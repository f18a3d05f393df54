// Open loop: the rate schedule (phase offsets over the drivers, the staircase, bad rates), the
// pacer's queued and late classes, and the per-step tally merged across ranks through its bytes.
#include "workload/io/open_loop.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <vector>

#include "workload/io/attempt.hpp"
#include "workload/io/generator_check.hpp"
#include "workload/io/io_tally.hpp"
#include "workload/io/open_loop_report.hpp"
#include "workload/io/rate_schedule.hpp"

namespace fanout {
namespace {

TEST(RateSchedule, StaircaseStepsHoldRateTimesStepEvenlySpacedFromTheirStart) {
  const RateSchedule s({1000, 2000, 4000}, 10);
  ASSERT_EQ(s.steps(), 3u);
  EXPECT_EQ(s.step_count(0), 10000u);
  EXPECT_EQ(s.step_count(1), 20000u);
  EXPECT_EQ(s.step_count(2), 40000u);
  EXPECT_EQ(s.total(), 70000u);
  EXPECT_DOUBLE_EQ(s.intended_s(0), 0);
  EXPECT_DOUBLE_EQ(s.intended_s(1), 0.001);
  EXPECT_DOUBLE_EQ(s.intended_s(9999), 9.999);
  EXPECT_EQ(s.step_of(9999), 0u);
  EXPECT_EQ(s.step_of(10000), 1u);
  EXPECT_DOUBLE_EQ(s.intended_s(10000), 10);
  EXPECT_DOUBLE_EQ(s.intended_s(10001), 10.0005);
  EXPECT_EQ(s.step_of(30000), 2u);
  EXPECT_DOUBLE_EQ(s.intended_s(30000), 20);
  EXPECT_DOUBLE_EQ(s.intended_s(30004), 20.001);
  // Past the last arrival the last spacing goes on (a dynamic schedule may hand a driver more).
  EXPECT_EQ(s.step_of(70000), 2u);
  EXPECT_DOUBLE_EQ(s.intended_s(70000), 30);
  EXPECT_DOUBLE_EQ(s.step_seconds(1), 10);
  EXPECT_DOUBLE_EQ(target_rate(s), 70000.0 / 30);
}

TEST(RateSchedule, OneRateOverACountLastsCountOverRate) {
  const RateSchedule s = RateSchedule::for_count(400, 1200);
  EXPECT_EQ(s.total(), 1200u);
  EXPECT_DOUBLE_EQ(s.step_seconds(0), 3);
  EXPECT_DOUBLE_EQ(s.intended_s(1199), 1199 / 400.0);
  EXPECT_DOUBLE_EQ(target_rate(s), 400);
}

TEST(RateSchedule, DriversTakeInterleavedArrivalsSoTheJobsAreEvenlySpaced) {
  // Rank r of P sends arrivals r, r + P, ...: together, every arrival once, 1/R apart.
  const RateSchedule s = RateSchedule::for_count(3000, 3000);
  const int drivers = 3;
  std::vector<double> starts;
  std::set<std::uint64_t> seen;
  for (int r = 0; r < drivers; ++r) {
    for (std::uint64_t k = 0; k < 1000; ++k) {
      const std::uint64_t g = job_arrival(k, r, drivers);
      EXPECT_TRUE(seen.insert(g).second);
      starts.push_back(s.intended_s(g));
    }
    // Each driver's own requests are P/R apart, its first r/R after the start.
    EXPECT_DOUBLE_EQ(s.intended_s(job_arrival(0, r, drivers)), r / 3000.0);
    EXPECT_NEAR(s.intended_s(job_arrival(1, r, drivers)) - s.intended_s(job_arrival(0, r, drivers)),
                drivers / 3000.0, 1e-12);
  }
  EXPECT_EQ(seen.size(), 3000u);
  std::sort(starts.begin(), starts.end());
  for (std::size_t i = 1; i < starts.size(); ++i) {
    EXPECT_NEAR(starts[i] - starts[i - 1], 1 / 3000.0, 1e-12) << i;
  }
}

TEST(RateSchedule, RefusesRatesAndStepsThatHoldNoRequest) {
  EXPECT_THROW(RateSchedule({}, 1), std::invalid_argument);
  EXPECT_THROW(RateSchedule({100}, 0), std::invalid_argument);
  EXPECT_THROW(RateSchedule({0.5}, 0.5), std::invalid_argument);  // rounds to 0 requests
  EXPECT_THROW(RateSchedule({-1}, 1), std::invalid_argument);
  EXPECT_THROW(RateSchedule({2e6}, 1), std::invalid_argument);
  EXPECT_THROW(RateSchedule::for_count(0, 10), std::invalid_argument);
  EXPECT_THROW(RateSchedule::for_count(10, 0), std::invalid_argument);
}

TEST(ParseRates, OneRateOrAStaircase) {
  EXPECT_EQ(parse_rates("2000"), std::vector<double>{2000});
  EXPECT_EQ(parse_rates("1000,2000, 4000"), (std::vector<double>{1000, 2000, 4000}));
  EXPECT_EQ(parse_rates("0.5"), std::vector<double>{0.5});
}

TEST(ParseRates, RefusesWhatIsNoRateSayingWhatIsValid) {
  for (const char* bad : {"", "0", "-5", "1e7", "nan", "inf", "abc", "100,", ",100", "100,,200",
                          "100;200", "100 200", "1000,0"}) {
    try {
      parse_rates(bad);
      ADD_FAILURE() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("a staircase of rates separated by commas"),
                std::string::npos)
          << bad;
    }
  }
}

TEST(Pacer, HandsOutTheDriversArrivalsAndStartsAgainForANewRun) {
  Pacer pacer(RateSchedule::for_count(100, 1000), 1, 4);
  const Clock::time_point t0 = Clock::now();
  const PacedStart a = pacer.take(t0, t0);
  const PacedStart b = pacer.take(t0, t0);
  EXPECT_DOUBLE_EQ(a.intended_s, 0.01);  // arrival 1
  EXPECT_DOUBLE_EQ(b.intended_s, 0.05);  // arrival 5
  EXPECT_FALSE(a.queued);
  const Clock::time_point t1 = t0 + std::chrono::seconds(100);
  EXPECT_DOUBLE_EQ(pacer.take(t1, t1).intended_s, 0.01);
}

TEST(Pacer, ARequestTakenPastItsStartWasQueuedAtTheCap) {
  Pacer pacer(RateSchedule::for_count(1000, 10), 0, 1);
  const Clock::time_point t0 = Clock::now();
  EXPECT_FALSE(pacer.take(t0, t0 + std::chrono::microseconds(1500)).queued);  // arrival 0
  EXPECT_TRUE(pacer.take(t0, t0 + std::chrono::milliseconds(4)).queued);      // arrival 1, at 1ms
}

TEST(Pacer, AStopEndsTheWaitForAFarIntendedStart) {
  Pacer pacer(RateSchedule::for_count(0.001, 10), 0, 1);
  const Clock::time_point t0 = Clock::now();
  EXPECT_TRUE(wait_for_start(pacer.take(t0, t0), nullptr));  // arrival 0 starts at t0
  const PacedStart far = pacer.take(t0, t0);                 // arrival 1, 1000 s later
  StopFlag stop;
  stop.request(StopReason::signal(15));
  EXPECT_FALSE(wait_for_start(far, &stop));
  const Sample s = stopped_before_start();
  EXPECT_EQ(s.error, ErrorClass::stopped);
  IoTally t;
  t.add(s);
  EXPECT_TRUE(t.open_loop.steps().empty());
}

/// What an attempt ended with: `status`, classified as `error`.
AttemptResult ended(ErrorClass error, int status) {
  AttemptResult r;
  r.error = error;
  r.http_status = status;
  return r;
}

/// A paced request of `rank`: meant to start at intended_s, sent send_wait_s later, answered
/// latency_s after its send.
Sample paced(int rank, std::uint16_t step, double intended_s, double send_wait_s, double latency_s,
             std::uint8_t flags = 0, ErrorClass error = ErrorClass::none, ThreadLoad driver = {}) {
  PacedStart p;
  p.driver_load = driver;
  p.intended_s = intended_s;
  p.step = step;
  p.queued = (flags & kQueued) != 0;
  p.intended = Clock::time_point{} + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(intended_s));
  Sample s = http_result(ended(error, 200));
  s.rank = rank;
  record_pacing(s, p,
                p.intended + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(send_wait_s)));
  // The slot took the request at its intended start and ended it after wait and latency.
  s.start_s = intended_s;
  s.duration_s = send_wait_s + latency_s;
  return s;
}

TEST(OpenLoopTally, CorrectedCountsFromTheIntendedStartUncorrectedFromTheSend) {
  IoTally t;
  t.add(paced(0, 0, 1.0, 0.0, 0.010));
  t.add(paced(0, 0, 1.1, 0.300, 0.010, kQueued));
  t.add(paced(0, 0, 1.2, 0.005, 0.010));
  const StepTally& s = t.open_loop.steps().at(0);
  EXPECT_EQ(s.sent.count, 3u);
  EXPECT_EQ(s.queued, 1u);
  EXPECT_EQ(s.late, 1u);  // 5 ms late with a worker free
  EXPECT_NEAR(s.corrected.max(), 0.310, 1e-6);
  EXPECT_NEAR(s.uncorrected.max(), 0.010, 1e-6);
  EXPECT_NEAR(s.corrected.min(), 0.010, 1e-6);
}

TEST(OpenLoopTally, DroppedAndFailedRequestsAreCountedNotTimed) {
  IoTally t;
  PacedStart p;
  p.intended_s = 2;
  p.step = 1;
  t.add(dropped_request(p));
  t.add(paced(0, 1, 2.1, 0, 0.5, 0, ErrorClass::timeout));
  t.add(paced(0, 1, 2.2, 0, 0.004, 0, ErrorClass::http_5xx));
  ASSERT_EQ(t.open_loop.steps().size(), 2u);
  const StepTally& s = t.open_loop.steps()[1];
  EXPECT_EQ(s.dropped, 1u);
  EXPECT_EQ(s.failed, 1u);
  EXPECT_EQ(s.sent.count, 2u);
  EXPECT_EQ(s.corrected.count(), 1u);  // the 5xx got an answer; the timeout did not
  EXPECT_EQ(t.open_loop.steps()[0].sent.count, 0u);
}

TEST(OpenLoopTally, ClosedLoopSamplesLeaveItEmpty) {
  IoTally t;
  t.add(http_result(ended(ErrorClass::none, 200)));
  EXPECT_TRUE(t.open_loop.steps().empty());
  EXPECT_EQ(t.requests, 1u);
}

TEST(OpenLoopTally, RanksMergedThroughTheirBytesGiveOnePassOverEverySample) {
  // 3 ranks at 100/s each, interleaved as the pacer spaces them: 300/s job-wide over 2 steps.
  std::vector<Sample> all;
  for (int k = 0; k < 300; ++k) {
    for (int r = 0; r < 3; ++r) {
      const double intended = (k * 3 + r) / 300.0;
      const std::uint16_t step = k < 150 ? 0 : 1;
      const ThreadLoad load{static_cast<std::uint8_t>(k % 100), static_cast<std::uint8_t>(r * 20)};
      all.push_back(paced(r, step, intended, k % 7 == 4 ? 0.01 : 0.0001 * r, 0.001 * (1 + (k % 10)),
                          0, ErrorClass::none, load));
    }
  }
  IoTally one;
  std::vector<IoTally> ranks(3);
  for (const Sample& s : all) {
    one.add(s);
    ranks[static_cast<std::size_t>(s.rank)].add(s);
  }
  IoTally merged;
  for (const IoTally& r : ranks) merged.merge_bytes(r.to_bytes());
  ASSERT_EQ(merged.open_loop.steps().size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const StepTally& a = one.open_loop.steps()[i];
    const StepTally& b = merged.open_loop.steps()[i];
    EXPECT_EQ(a.corrected.buckets(), b.corrected.buckets());
    EXPECT_EQ(a.uncorrected.buckets(), b.uncorrected.buckets());
    EXPECT_EQ(a.sent.count, b.sent.count);
    EXPECT_DOUBLE_EQ(a.sent.first_s, b.sent.first_s);
    EXPECT_DOUBLE_EQ(a.sent.last_s, b.sent.last_s);
    EXPECT_EQ(a.generator.cpu_pct_sum, b.generator.cpu_pct_sum);
    EXPECT_EQ(a.generator.wait_pct_sum, b.generator.wait_pct_sum);
    EXPECT_EQ(a.generator.behind_saturated, b.generator.behind_saturated);
    EXPECT_GT(b.generator.behind_saturated, 0u);
    ASSERT_EQ(b.ranks.size(), 3u);
    for (const auto& [rank, span] : b.ranks) {
      EXPECT_EQ(span.count, 150u);
      EXPECT_NEAR(span.rate(), 100, 0.01) << rank;
    }
  }
  EXPECT_NEAR(merged.open_loop.total().sent.rate(), 300, 0.5);
  EXPECT_EQ(merged.open_loop.total().corrected.count(), 900u);
}

bool has_line(const std::vector<std::string>& lines, const std::string& part) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

/// The run's warnings as "kind: message".
std::vector<std::string> warnings(const RunDetails& d) {
  std::vector<std::string> out;
  for (const RunDetails::Warning& w : d.warnings) out.push_back(w.kind + ": " + w.message);
  return out;
}

TEST(GeneratorCheck, LateIsTheGeneratorsWhenBusyOrStarvedQueuedOnlyWhenBusy) {
  const bool queued = true, late = true;
  // Late with a transfer free: busy (needing the CPU 90 % of the time) or starved (waiting 25 %).
  EXPECT_TRUE(generator_to_blame({95, 0}, !queued, late));   // CPU-bound on a CPU of its own
  EXPECT_TRUE(generator_to_blame({50, 45}, !queued, late));  // flat out, sharing a CPU
  EXPECT_TRUE(generator_to_blame({5, 25}, !queued, late));   // mostly idle, its wake-ups wait
  EXPECT_FALSE(generator_to_blame({80, 5}, !queued, late));
  EXPECT_FALSE(generator_to_blame({60, 24}, !queued, late));
  // Queued at the cap: a busy loop took it late; a starved but idle one found the slots held.
  EXPECT_TRUE(generator_to_blame({97, 2}, queued, !late));
  EXPECT_TRUE(generator_to_blame({50, 45}, queued, !late));
  EXPECT_FALSE(generator_to_blame({5, 30}, queued, !late));
  EXPECT_FALSE(generator_to_blame({2, 0}, queued, !late));
  // On time: never.
  EXPECT_FALSE(generator_to_blame({100, 0}, !queued, !late));
}

TEST(GeneratorCheck, VerdictOnlyBlamesTheGeneratorWhenItWasSaturatedBehindSchedule) {
  // Over 1 % of the sent behind schedule while saturated: the client, whatever the server did.
  EXPECT_EQ(judge_generator(1000, 0, 11), GeneratorVerdict::could_not_hold);
  EXPECT_EQ(judge_generator(1000, 500, 500), GeneratorVerdict::could_not_hold);
  // Up to 1 %: held.
  EXPECT_EQ(judge_generator(1000, 10, 10), GeneratorVerdict::held);
  // Late with a worker free, never saturated: said, but not blamed on the CPU.
  EXPECT_EQ(judge_generator(1000, 50, 0), GeneratorVerdict::late_unexplained);
  // A slow server with an idle generator queues requests at the cap: not late, not saturated.
  EXPECT_EQ(judge_generator(1000, 0, 0), GeneratorVerdict::held);
  EXPECT_EQ(judge_generator(0, 0, 0), GeneratorVerdict::held);
  EXPECT_EQ(to_string(GeneratorVerdict::could_not_hold), "could not hold");
}

TEST(OpenLoopReport, AGeneratorSaturatedBehindScheduleIsBlamedNotTheServer) {
  // 100 requests at 100/s: 30 queued 50 ms behind while the driver ran flat out.
  IoTally t;
  for (int k = 0; k < 100; ++k) {
    const bool behind = k % 10 < 3;
    t.add(paced(0, 0, k / 100.0, behind ? 0.05 : 0.0005, 0.001, behind ? kQueued : 0,
                ErrorClass::none, behind ? ThreadLoad{97, 2} : ThreadLoad{40, 0}));
  }
  RunDetails details;
  add_open_loop_details(t.open_loop, RateSchedule::for_count(100, 100), false, false, details);
  const auto w = warnings(details);
  EXPECT_TRUE(has_line(w,
                       "generator_limited: the generator could not hold the rate: 30 of 100 "
                       "requests (30.0 %) started behind"));
  EXPECT_TRUE(has_line(w, "the server was not the limit then"));
  const nlohmann::json& g = details.json["open_loop"]["total"]["generator"];
  EXPECT_EQ(g["behind_while_saturated"], 30);
  EXPECT_EQ(g["verdict"], "could not hold");
  const nlohmann::json& bounds = details.json["open_loop"]["generator_bounds"];
  EXPECT_DOUBLE_EQ(bounds["busy_share"].get<double>(), 0.9);
  EXPECT_DOUBLE_EQ(bounds["starved_share"].get<double>(), 0.25);
  EXPECT_NEAR(g["cpu_share"].get<double>(), 0.3 * 0.97 + 0.7 * 0.40, 1e-9);
}

TEST(OpenLoopReport, ASlowServerWithAnIdleGeneratorIsNotTheGenerators) {
  // Half the requests queued 200 ms at the cap behind a slow server; the driver idled.
  IoTally t;
  for (int k = 0; k < 100; ++k) {
    const bool queued = k % 2 == 0;
    t.add(paced(0, 0, k / 100.0, queued ? 0.2 : 0, 0.2, queued ? kQueued : 0, ErrorClass::none,
                ThreadLoad{3, 1}));
  }
  RunDetails details;
  add_open_loop_details(t.open_loop, RateSchedule::for_count(100, 100), false, false, details);
  for (const std::string& w : warnings(details)) {
    EXPECT_EQ(w.find("generator"), std::string::npos) << w;
  }
  EXPECT_EQ(details.json["open_loop"]["total"]["generator"]["verdict"], "held");
}

TEST(OpenLoopReport, WarnsWhenRequestsStartedLateOrTheRateWasNotHeld) {
  // 100 requests at 100/s, 5 of them sent late with a worker free; the last 10 s behind.
  IoTally t;
  for (int k = 0; k < 100; ++k) {
    const double wait = k < 5 ? 0.010 : (k == 99 ? 10.0 : 0);
    t.add(paced(0, 0, k / 100.0, wait, 0.001));
  }
  const RateSchedule schedule = RateSchedule::for_count(100, 100);
  RunDetails details;
  add_open_loop_details(t.open_loop, schedule, false, false, details);
  // Late with a worker free, the driver's load unknown (zero): said, not blamed on its CPU.
  const auto w = warnings(details);
  EXPECT_TRUE(has_line(w, "generator_late: 6 of 100 requests (6.0 %) were sent over 2.000 ms"));
  EXPECT_TRUE(has_line(w, "neither CPU-bound nor starved"));
  // 99 intervals over 10.98 s: about 9/s.
  EXPECT_TRUE(has_line(w, "rate_not_held: achieved 9."));
  EXPECT_TRUE(has_line(w, "% of the target 100/s"));
  EXPECT_TRUE(has_line(details.lines, "open loop: target 100/s, sent 9."));
  const nlohmann::json& j = details.json["open_loop"];
  EXPECT_EQ(j["total"]["sent"], 100);
  EXPECT_EQ(j["total"]["late"], 6);
  EXPECT_EQ(j["steps"].size(), 1u);
  EXPECT_FALSE(j.contains("hgrm"));
  EXPECT_EQ(j["at_cap"], "queue");
}

TEST(OpenLoopReport, ARateHeldOnTimeWarnsOfNothingAndTheHgrmComesWhenAsked) {
  IoTally t;
  for (int k = 0; k < 100; ++k) t.add(paced(k % 2, 0, k / 100.0, 0.0005, 0.002));
  RunDetails details;
  add_open_loop_details(t.open_loop, RateSchedule::for_count(100, 100), true, true, details);
  EXPECT_FALSE(has_line(details.lines, "warning"));
  EXPECT_TRUE(details.warnings.empty());
  const nlohmann::json& j = details.json["open_loop"];
  EXPECT_EQ(j["at_cap"], "drop");
  EXPECT_EQ(j["total"]["ranks"].size(), 2u);
  EXPECT_NE(
      j["hgrm"]["total"]["corrected"].get<std::string>().find("Total count    =          100"),
      std::string::npos);
  EXPECT_EQ(j["hgrm"]["steps"].size(), 1u);
  const std::vector<Figure> figures =
      open_loop_figures(t.open_loop, RateSchedule::for_count(100, 100));
  const auto figure = [&](const std::string& key) {
    for (const Figure& f : figures)
      if (f.key == key) return f.value;
    ADD_FAILURE() << key;
    return 0.0;
  };
  EXPECT_DOUBLE_EQ(figure("rate.target_per_s"), 100);
  EXPECT_NEAR(figure("rate.achieved_per_s"), 100, 1e-6);
  EXPECT_NEAR(figure("corrected_s.p50"), 0.0025, 0.0025 * 0.008);
  EXPECT_NEAR(figure("uncorrected_s.max"), 0.002, 1e-6);
}

}  // namespace
}  // namespace fanout
