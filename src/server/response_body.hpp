// A Beast body for the server's replies: a short text, or N deterministic bytes streamed without
// allocating.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <cstdint>
#include <string>
#include <utility>

namespace fanout {

/// Byte number `offset` of every generated body: lines of 63 characters 0-9a-zA-Z- and a newline.
char pattern_byte(std::uint64_t offset);

/// Body type for boost::beast::http::response<ResponseBody>.
struct ResponseBody {
  struct value_type {
    /// Sent as is when pattern_bytes is 0.
    std::string text;
    /// When non-zero, the body is this many bytes of pattern_byte(0), pattern_byte(1), ...
    std::uint64_t pattern_bytes = 0;
    /// The pattern starts at this byte of it (a range, or another version of a file).
    std::uint64_t pattern_offset = 0;
    /// Break the connection after this many bytes (a download cut short); 0: never.
    std::uint64_t cut_after = 0;
    /// A HEAD reply: Content-Length says the size, nothing is sent.
    bool head = false;
  };

  static std::uint64_t size(const value_type& body) {
    return body.pattern_bytes != 0 ? body.pattern_bytes : body.text.size();
  }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;

    template <bool isRequest, class Fields>
    writer(const boost::beast::http::header<isRequest, Fields>&, const value_type& body)
        : body_(body) {}

    void init(boost::beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec);

   private:
    const value_type& body_;
    std::uint64_t sent_ = 0;
  };
};

}  // namespace fanout
