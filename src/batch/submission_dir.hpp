// The --out directory of a submission (a study or a farm): checked before anything is written,
// created, and scripts written into it; and the private directory where the scheduler judges
// scripts first, so that a refused submission leaves nothing in --out.
#pragma once

#include <string>

namespace fanout {

/// Throws ConfigError when `dir` exists and is no directory, or already holds a submission (a
/// study's submit.json or a farm's farm.json).
void check_out_dir(const std::string& dir);

/// Creates `dir` with jobs/ and runs/ in it. Throws ConfigError naming --out.
void create_out_dir(const std::string& dir);

/// Writes a job script atomically, executable by its owner and group.
void write_script(const std::string& path, const std::string& text);

/// A fresh directory under the temp directory, removed with what it holds.
class CheckDir {
 public:
  CheckDir();
  ~CheckDir();
  CheckDir(const CheckDir&) = delete;
  CheckDir& operator=(const CheckDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace fanout
