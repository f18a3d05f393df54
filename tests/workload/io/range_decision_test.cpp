// decide_range on literal heads: what a download does with each status, Content-Range and
// validator, against the bytes of the part on disk.
#include "workload/io/range_decision.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace fanout {
namespace {

ResponseHead head(int status, std::string content_range = "", std::string etag = "",
                  std::string last_modified = "") {
  return {status, std::move(content_range), std::move(etag), std::move(last_modified)};
}

TEST(RangeDecision, A206WhereThePartEndsAppends) {
  const RangeDecision d = decide_range(head(206, "bytes 1000-1999/2000"), 1000);
  EXPECT_EQ(d.plan, BodyPlan::append);
  EXPECT_EQ(d.error, "");
  EXPECT_EQ(decide_range(head(206, "bytes 7-7/*"), 7).plan, BodyPlan::append)
      << "an unknown total still continues the part";
}

TEST(RangeDecision, A206ForOtherBytesRejectsThePartAndSaysWhatCame) {
  const RangeDecision d = decide_range(head(206, "bytes 0-1999/2000"), 1000);
  EXPECT_EQ(d.plan, BodyPlan::reject);
  EXPECT_EQ(d.error,
            "the server answered 206 with Content-Range \"bytes 0-1999/2000\" where bytes "
            "1000- were asked for");
  EXPECT_EQ(decide_range(head(206, "bytes 1000-1999/2000"), 0).plan, BodyPlan::reject)
      << "no range was asked for";
  EXPECT_EQ(decide_range(head(206, ""), 1000).plan, BodyPlan::reject) << "no Content-Range";
  EXPECT_EQ(decide_range(head(206, "bytes x-1999/2000"), 1000).plan, BodyPlan::reject);
  EXPECT_EQ(decide_range(head(206, "1000-1999/2000"), 1000).plan, BodyPlan::reject)
      << "no unit before the range";
  EXPECT_EQ(decide_range(head(206, "bytes 1000/2000"), 1000).plan, BodyPlan::reject);
}

TEST(RangeDecision, A416ForThePartsLengthMeansItIsWhole) {
  EXPECT_EQ(decide_range(head(416, "bytes */2000"), 2000).plan, BodyPlan::already_whole);
  const RangeDecision d = decide_range(head(416, "bytes */3000"), 2000);
  EXPECT_EQ(d.plan, BodyPlan::refetch);
  EXPECT_EQ(d.error,
            "416 for bytes 2000- (Content-Range \"bytes */3000\"): the partial file is "
            "dropped and fetched whole");
  EXPECT_EQ(decide_range(head(416, ""), 2000).plan, BodyPlan::refetch);
  EXPECT_EQ(decide_range(head(416, "bytes */"), 2000).plan, BodyPlan::refetch);
  EXPECT_EQ(decide_range(head(416, "bytes */2000"), 0).plan, BodyPlan::ignore)
      << "a 416 to a request without Range is an error status like any other";
}

TEST(RangeDecision, A2xxReplacesThePartAndKeepsAStrongValidator) {
  RangeDecision d = decide_range(head(200, "", "\"v1\"", "Mon, 07 Dec 2026 10:00:00 GMT"), 0);
  EXPECT_EQ(d.plan, BodyPlan::replace);
  EXPECT_FALSE(d.truncate);
  EXPECT_EQ(d.validator, "\"v1\"");
  d = decide_range(head(200, "", "\"v2\""), 500);
  EXPECT_TRUE(d.truncate) << "If-Range failed or Range was ignored: the part starts over";
  EXPECT_EQ(d.validator, "\"v2\"");
  EXPECT_EQ(decide_range(head(203), 0).plan, BodyPlan::replace);
}

TEST(RangeDecision, AWeakOrOverlongETagGivesWayToLastModifiedOrNone) {
  const std::string date = "Mon, 07 Dec 2026 10:00:00 GMT";
  EXPECT_EQ(decide_range(head(200, "", "W/\"v1\"", date), 0).validator, date);
  EXPECT_EQ(decide_range(head(200, "", "W/\"v1\""), 0).validator, "");
  EXPECT_EQ(decide_range(head(200, "", "", date), 0).validator, date);
  EXPECT_EQ(decide_range(head(200), 0).validator, "");
  const std::string longest(kMaxValidatorBytes - 1, 'e');
  EXPECT_EQ(decide_range(head(200, "", longest), 0).validator, longest);
  EXPECT_EQ(decide_range(head(200, "", std::string(kMaxValidatorBytes, 'e')), 0).validator, "");
}

TEST(RangeDecision, OtherStatusesSaveNothing) {
  for (const int status : {0, 100, 304, 404, 429, 500, 503}) {
    const RangeDecision d = decide_range(head(status, "bytes */10", "\"v\""), 10);
    EXPECT_EQ(d.plan, BodyPlan::ignore) << status;
    EXPECT_EQ(d.validator, "") << status;
    EXPECT_EQ(d.error, "") << status;
  }
}

}  // namespace
}  // namespace fanout
