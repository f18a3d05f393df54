// The Range rules of a resumed download: 206 and its Content-Range start, 416 and its total, a
// 2xx that restarts the part, and which validator a part keeps.
#include "workload/io/range_decision.hpp"

#include <charconv>
#include <string_view>

namespace fanout {
namespace {

bool parse_u64(std::string_view s, std::uint64_t& out) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc{} && ptr == s.data() + s.size();
}

/// The start of "bytes START-END/TOTAL"; false when it holds none.
bool range_start(std::string_view range, std::uint64_t& start) {
  const auto sp = range.find(' ');
  const auto dash = range.find('-');
  return sp != std::string_view::npos && dash != std::string_view::npos && dash > sp &&
         parse_u64(range.substr(sp + 1, dash - sp - 1), start);
}

/// The total of "bytes */TOTAL"; false when it holds none.
bool range_total(std::string_view range, std::uint64_t& total) {
  const auto slash = range.rfind('/');
  return slash != std::string_view::npos && parse_u64(range.substr(slash + 1), total);
}

}  // namespace

RangeDecision decide_range(const ResponseHead& head, std::uint64_t part_bytes) {
  RangeDecision d;
  if (head.status == 206) {
    std::uint64_t start = 0;
    if (part_bytes == 0 || !range_start(head.content_range, start) || start != part_bytes) {
      d.plan = BodyPlan::reject;
      d.error = "the server answered 206 with Content-Range \"" + head.content_range +
                "\" where bytes " + std::to_string(part_bytes) + "- were asked for";
      return d;
    }
    d.plan = BodyPlan::append;
    return d;
  }
  if (head.status == 416 && part_bytes > 0) {
    std::uint64_t total = 0;
    if (range_total(head.content_range, total) && total == part_bytes) {
      d.plan = BodyPlan::already_whole;
      return d;
    }
    d.plan = BodyPlan::refetch;
    d.error = "416 for bytes " + std::to_string(part_bytes) + "- (Content-Range \"" +
              head.content_range + "\"): the partial file is dropped and fetched whole";
    return d;
  }
  if (head.status >= 200 && head.status < 300) {
    d.plan = BodyPlan::replace;
    d.truncate = part_bytes > 0;
    d.validator = head.etag.rfind("W/", 0) == 0 ? "" : head.etag;
    if (d.validator.empty()) d.validator = head.last_modified;
    if (d.validator.size() >= kMaxValidatorBytes) d.validator.clear();
    return d;
  }
  return d;
}

}  // namespace fanout
