// The submission directory's checks and writes.
#include "batch/submission_dir.hpp"

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>

#include "batch/farm_chain.hpp"
#include "batch/manifest.hpp"
#include "cli/config_error.hpp"
#include "report/writer.hpp"

namespace fanout {

namespace fs = std::filesystem;

void check_out_dir(const std::string& dir) {
  const std::string where = "--out " + dir + ": ";
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    throw ConfigError(where + "exists and is not a directory");
  }
  if (fs::exists(fs::path(dir) / kManifestFile, ec)) {
    throw ConfigError(where + "holds a submitted study already (" + kManifestFile +
                      "); choose another directory, or remove it after 'fanout collect'");
  }
  if (fs::exists(fs::path(dir) / kFarmChainFile, ec)) {
    throw ConfigError(where + "holds a submitted farm already (" + kFarmChainFile +
                      "); choose another directory, or go on with 'fanout continue-farm " + dir +
                      "'");
  }
}

void create_out_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "jobs", ec);
  if (!ec) fs::create_directories(fs::path(dir) / "runs", ec);
  if (ec) throw ConfigError("--out " + dir + ": cannot create it: " + ec.message());
}

void write_script(const std::string& path, const std::string& text) {
  write_file_atomically(path, text);
  fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
}

CheckDir::CheckDir() {
  std::string pattern = (fs::temp_directory_path() / "fanout-submit-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory");
  path_ = pattern;
}

CheckDir::~CheckDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace fanout
