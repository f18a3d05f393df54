// What a point's log and run document say about it.
#include "study/point_result.hpp"

#include <fstream>
#include <sstream>

#include "study/process.hpp"
#include "study/run_json_reader.hpp"

namespace fanout {

std::string point_error(const std::string& log, int exit_code) {
  std::stringstream lines(log);
  std::string line, found;
  while (std::getline(lines, line)) {
    if (line.rfind("fanout: error: ", 0) == 0) found = line.substr(15);
  }
  if (found.empty()) found = last_nonblank_line(log);
  return found.empty() ? "exited with status " + std::to_string(exit_code) + " and printed nothing"
                       : found;
}

void read_point_document(PointResult& p, const std::string& out_dir) {
  const std::string path = out_dir + "/" + p.run_json;
  try {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("the run wrote no JSON document at " + path);
    read_run_json(nlohmann::json::parse(in), p);
    p.ok = true;
  } catch (const std::exception& e) {
    p.ok = false;
    p.error = e.what();
  }
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace fanout
