// Planning the points of a batch study.
#include "batch/batch_plan.hpp"

#include <algorithm>
#include <cstdio>

#include "study/study_analysis.hpp"

namespace fanout {

std::vector<BatchPoint> plan_batch_points(const BatchSpec& spec, const Workload& workload) {
  std::vector<BatchPoint> points;
  auto add = [&](int nodes, int per_node, int threads) {
    for (const auto& p : points) {
      if (p.point.nodes == nodes && p.ranks_per_node == per_node && p.point.threads == threads)
        return;
    }
    BatchPoint p;
    p.point = make_point(spec.study, workload, nodes * per_node, threads);
    p.point.nodes = nodes;
    p.ranks_per_node = per_node;
    points.push_back(p);
  };
  for (int n : spec.nodes) {
    for (int r : spec.ranks_per_node) {
      for (int t : spec.study.threads) add(n, r, t);
    }
  }
  add(1, 1, 1);
  std::stable_sort(points.begin(), points.end(), [](const BatchPoint& a, const BatchPoint& b) {
    if (a.point.workers != b.point.workers) return a.point.workers < b.point.workers;
    if (a.point.nodes != b.point.nodes) return a.point.nodes < b.point.nodes;
    return a.point.threads < b.point.threads;
  });
  return points;
}

BatchPoint array_shape(const std::vector<BatchPoint>& points) {
  BatchPoint shape;
  shape.point.nodes = 1;
  for (const auto& p : points) {
    shape.point.nodes = std::max(shape.point.nodes, p.point.nodes);
    shape.ranks_per_node = std::max(shape.ranks_per_node, p.ranks_per_node);
    shape.point.threads = std::max(shape.point.threads, p.point.threads);
  }
  shape.point.ranks = shape.point.nodes * shape.ranks_per_node;
  return shape;
}

std::string format_time_limit(long seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", seconds / 3600, seconds / 60 % 60,
                seconds % 60);
  return buf;
}

std::string batch_job_name(const std::string& job_name, const std::string& suffix) {
  std::string name = "fanout-";
  for (char c : job_name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    name += ok ? c : '_';
  }
  return name + "-" + suffix;
}

std::string script_file(Scheduler scheduler, const std::string& key_or_kind) {
  return "jobs/" + key_or_kind + (scheduler == Scheduler::slurm ? ".sbatch" : ".pbs");
}

}  // namespace fanout
