// A Beast body for the server's replies: a short text, or N deterministic bytes streamed without
// allocating.
#include "server/response_body.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/error.hpp>
#include <string_view>

namespace fanout {
namespace {

constexpr std::string_view kPatternLine =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-\n";
static_assert(kPatternLine.size() == 64);
constexpr std::size_t kChunkBytes = 64 * 1024;

// One chunk plus a line of slack, so a slice may start at any offset within a line.
const std::array<char, kChunkBytes + kPatternLine.size()>& pattern_chunk() {
  static const auto chunk = [] {
    std::array<char, kChunkBytes + kPatternLine.size()> bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = kPatternLine[i % kPatternLine.size()];
    return bytes;
  }();
  return chunk;
}

}  // namespace

char pattern_byte(std::uint64_t offset) { return kPatternLine[offset % kPatternLine.size()]; }

boost::optional<std::pair<ResponseBody::writer::const_buffers_type, bool>>
ResponseBody::writer::get(boost::beast::error_code& ec) {
  ec = {};
  if (body_.head) return boost::none;
  if (body_.pattern_bytes == 0) {
    if (sent_ != 0 || body_.text.empty()) return boost::none;
    sent_ = body_.text.size();
    return {{boost::asio::buffer(body_.text), false}};
  }
  if (sent_ >= body_.pattern_bytes) return boost::none;
  if (body_.cut_after > 0 && sent_ >= body_.cut_after) {
    ec = boost::asio::error::connection_aborted;
    return boost::none;
  }
  std::uint64_t left = body_.pattern_bytes - sent_;
  if (body_.cut_after > 0) left = std::min(left, body_.cut_after - sent_);
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, kChunkBytes));
  const char* start = pattern_chunk().data() + (sent_ + body_.pattern_offset) % kPatternLine.size();
  sent_ += n;
  return {{boost::asio::const_buffer(start, n), sent_ < body_.pattern_bytes}};
}

}  // namespace fanout
