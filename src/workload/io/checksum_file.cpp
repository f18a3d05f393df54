// sha256sum's and md5sum's text output read back as expected checksums by file name.
#include "workload/io/checksum_file.hpp"

#include "cli/config_error.hpp"
#include "cli/input_file.hpp"
#include "cli/text.hpp"
#include "workload/append_log.hpp"
#include "workload/io/url_entry.hpp"

namespace fanout {

ChecksumManifest read_checksum_manifest(const std::string& path) {
  try {
    check_input_file(path);
  } catch (const InputFileError& e) {
    throw ConfigError("--io.checksums " + path + ": cannot read it: " + e.what() +
                      "; give a sha256sum or md5sum output file");
  }
  ChecksumManifest out;
  read_complete_lines(path, "--io.checksums", [&](const std::string& raw, std::uint64_t lineno) {
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') return;
    const std::string where = path + ":" + std::to_string(lineno) + ": ";
    const std::size_t blank = line.find_first_of(" \t");
    const std::string_view hex = line.substr(0, blank);
    const DigestAlgo algo = hex.size() == 64   ? DigestAlgo::sha256
                            : hex.size() == 32 ? DigestAlgo::md5
                                               : DigestAlgo::none;
    std::string why;
    const auto c = algo == DigestAlgo::none
                       ? std::nullopt
                       : parse_checksum(std::string(to_string(algo)) + ":" + std::string(hex), why);
    std::string_view name = blank == std::string_view::npos ? "" : trim(line.substr(blank));
    if (!name.empty() && name.front() == '*') name.remove_prefix(1);  // sha256sum's binary mark
    if (!c || name.empty()) {
      throw ConfigError(where +
                        "not a checksum line; expected HEX  NAME as sha256sum (64 hex "
                        "digits) or md5sum (32) writes it");
    }
    if (const std::string bad = check_output_name(name); !bad.empty())
      throw ConfigError(where + bad);
    const auto [it, inserted] = out.emplace(std::string(name), *c);
    if (!inserted && it->second.hex != c->hex) {
      throw ConfigError(where + std::string(name) + " is listed before with another checksum");
    }
  });
  return out;
}

}  // namespace fanout
