// /file/KEY, /norange/KEY and /touch/KEY: ranges, If-Range, 416, versions, a cut connection.
#include "server/file_route.hpp"

#include <gtest/gtest.h>

#include "server/routes.hpp"
#include "server/server_state.hpp"

namespace fanout {
namespace {

std::string header(const Reply& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST(FileRoute, WholeRangeIfRangeAndPastTheEnd) {
  ServerState state;
  const Reply whole = route_request("/file/k?size=100", state);
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.pattern_bytes, 100u);
  EXPECT_EQ(whole.pattern_offset, 0u);
  const std::string etag = header(whole, "ETag");
  EXPECT_EQ(etag, "\"k-v0-100\"");

  const Reply part = route_request("/file/k?size=100", state, {"bytes=40-", etag});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.pattern_bytes, 60u);
  EXPECT_EQ(part.pattern_offset, 40u);
  EXPECT_EQ(header(part, "Content-Range"), "bytes 40-99/100");

  const Reply closed = route_request("/file/k?size=100", state, {"bytes=10-19", ""});
  EXPECT_EQ(closed.status, 206);
  EXPECT_EQ(closed.pattern_bytes, 10u);

  const Reply past = route_request("/file/k?size=100", state, {"bytes=100-", etag});
  EXPECT_EQ(past.status, 416);
  EXPECT_EQ(header(past, "Content-Range"), "bytes */100");

  // Another version: the old ETag no longer matches, so the whole (new) file comes.
  EXPECT_EQ(route_request("/touch/k", state).status, 200);
  const Reply changed = route_request("/file/k?size=100", state, {"bytes=40-", etag});
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(changed.pattern_bytes, 100u);
  EXPECT_EQ(changed.pattern_offset, file_pattern_offset(1));
  EXPECT_EQ(header(changed, "ETag"), "\"k-v1-100\"");
}

TEST(FileRoute, NoRangeIgnoresRangeAndCutBreaksOnlyWholeReplies) {
  ServerState state;
  const Reply ignored = route_request("/norange/n?size=50", state, {"bytes=10-", ""});
  EXPECT_EQ(ignored.status, 200);
  EXPECT_EQ(ignored.pattern_bytes, 50u);
  EXPECT_EQ(header(ignored, "Accept-Ranges"), "");
  const Reply cut = route_request("/file/c?size=50&cut=20", state);
  EXPECT_EQ(cut.cut_after, 20u);
  const Reply rest = route_request("/file/c?size=50&cut=20", state, {"bytes=20-", ""});
  EXPECT_EQ(rest.status, 206);
  EXPECT_EQ(rest.cut_after, 0u);
  EXPECT_EQ(route_request("/file/c?size=x", state).status, 400);
}

}  // namespace
}  // namespace fanout
