// What a download does with a response, decided from its status and headers and from the bytes
// of the part already on disk: a pure function, without curl or a file.
#pragma once

#include <cstdint>
#include <string>

namespace fanout {

/// The head of a response as the decision reads it: header values trimmed, "" when absent.
struct ResponseHead {
  int status = 0;
  std::string content_range;
  std::string etag;
  std::string last_modified;
};

/// What becomes of the response's body and of the part file.
enum class BodyPlan : std::uint8_t {
  append,         ///< a 206 for the bytes after the part: the body continues it (resumed)
  replace,        ///< a 2xx with the whole file: the body starts the part over from byte 0
  already_whole,  ///< a 416 whose Content-Range says the part is the whole file (resumed)
  reject,         ///< a 206 for other bytes: drop the part and stop the transfer
  refetch,        ///< a 416 for another length: drop the part; the next attempt fetches all
  ignore,         ///< any other status: the body is not saved and the attempt fails
};

/// The decision on one response.
struct RangeDecision {
  BodyPlan plan = BodyPlan::ignore;
  /// replace only: the part held bytes, which go (the server's copy changed or it ignores Range).
  bool truncate = false;
  /// replace only: the validator to keep with the part for a later If-Range ("" none).
  std::string validator;
  /// reject and refetch: what the server answered against what was asked for.
  std::string error;
};

/// Validators longer than this are not kept (nor read back).
inline constexpr std::size_t kMaxValidatorBytes = 1024;

/// Decides on `head` for a request that asked for the bytes from `part_bytes` on (0: the whole
/// file). A weak ETag cannot validate a range (RFC 9110 13.1.5), so Last-Modified is kept then.
RangeDecision decide_range(const ResponseHead& head, std::uint64_t part_bytes);

}  // namespace fanout
