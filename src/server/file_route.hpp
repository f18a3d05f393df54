// /file/KEY and /norange/KEY: a file of deterministic bytes with an ETag that changes with its
// version (bumped by /touch/KEY), served whole or by Range/If-Range, for the downloader's tests.
#pragma once

#include <cstdint>
#include <string_view>

#include "server/flaky_registry.hpp"
#include "server/routes.hpp"

namespace fanout {

/// Byte `offset` of version `version` of every /file/KEY: pattern_byte shifted by the version, so
/// that each version has other bytes (and another checksum).
std::uint64_t file_pattern_offset(std::uint64_t version);

/// `rest` is "KEY", `query` holds size=N (bytes, default 1 MiB) and cut=M (break the connection
/// after M body bytes of a reply that is not a range: a download cut short). With `ranges`,
/// "Range: bytes=S-" or "bytes=S-E" gets 206 (or 416 with "bytes */N" past the end) unless
/// If-Range names another ETag; without, the whole file always comes with 200.
Reply file_route(std::string_view rest, std::string_view query, const RequestHeaders& headers,
                 FlakyRegistry& versions, bool ranges);

}  // namespace fanout
