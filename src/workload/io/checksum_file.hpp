// A checksum manifest beside a URL list (io.checksums): sha256sum / md5sum output, "HEX  NAME"
// or "HEX *NAME" a line, the algorithm told by the digest's length.
#pragma once

#include <string>
#include <unordered_map>

#include "workload/io/digest.hpp"

namespace fanout {

/// The expected checksum of every NAME the manifest lists.
using ChecksumManifest = std::unordered_map<std::string, Checksum>;

/// Reads the manifest at `path` (blank lines and '#' lines skipped). Throws ConfigError naming
/// --io.checksums PATH when it cannot be read, PATH:LINE for a line of another shape (hex of 64
/// or 32 digits, blanks, a NAME) or a NAME listed twice with other digests.
ChecksumManifest read_checksum_manifest(const std::string& path);

}  // namespace fanout
