// mkdtemp and remove_all.
#include "temp_dir.hpp"

#include <stdlib.h>

#include <stdexcept>
#include <system_error>

namespace fanout::test {

TempDir::TempDir(const std::string& prefix) {
  std::string tmpl = (std::filesystem::temp_directory_path() / ("fanout-" + prefix + "-XXXXXX")).string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace fanout::test
