// The download outcomes of one run, per node and in all, from its IoTally.
#include "workload/io/download_summary.hpp"

#include <cstdio>
#include <map>

#include "cli/format.hpp"
#include "workload/io/io_tally.hpp"

namespace fanout {
namespace {

std::string mb_per_s(std::uint64_t bytes, double wall_s) {
  if (wall_s <= 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB/s", static_cast<double>(bytes) / wall_s / 1e6);
  return buf;
}

nlohmann::json to_json(const DownloadTotals& t, double wall_s) {
  return {{"done", t.done()},
          {"fetched", t.fetched},
          {"skipped", t.skipped},
          {"resumed", t.resumed},
          {"restarted", t.restarted},
          {"failed", t.failed},
          {"checksum_failed", t.checksum},
          {"bytes", t.bytes},
          {"mb_per_s", wall_s > 0 ? static_cast<double>(t.bytes) / wall_s / 1e6 : 0.0}};
}

std::string line_of(const DownloadTotals& t, double wall_s) {
  return std::to_string(t.done()) + " files done (" + std::to_string(t.fetched) + " fetched, " +
         std::to_string(t.skipped) + " skipped, " + std::to_string(t.resumed) + " resumed, " +
         std::to_string(t.restarted) + " restarted), " + std::to_string(t.failed) + " failed" +
         (t.checksum ? " (" + std::to_string(t.checksum) + " checksum)" : "") + ", " +
         format_bytes(t.bytes) + " received, " + mb_per_s(t.bytes, wall_s);
}

}  // namespace

RunDetails download_details(const FigureInput& in, const JournalBefore& before) {
  RunDetails d;
  const IoTally& tally = tally_as<IoTally>(in.median_tally);
  DownloadTotals all;
  std::map<std::string, DownloadTotals> per_node;
  for (const auto& [rank, t] : tally.per_rank) {
    all.merge(t);
    per_node[in.host_of(rank)].merge(t);
  }
  const double wall = in.median_wall_s;
  d.lines.push_back("download: " + line_of(all, wall));
  if (before.files > 0) {
    d.lines.push_back("download: the journal already held " + std::to_string(before.files) +
                      " files (" + format_bytes(before.bytes) + "); they were not asked for again");
  }
  nlohmann::json nodes = nlohmann::json::object();
  if (per_node.size() > 1) {
    for (const auto& [host, t] : per_node)
      d.lines.push_back("download on " + host + ": " + line_of(t, wall));
  }
  for (const auto& [host, t] : per_node) nodes[host] = to_json(t, wall);
  d.json = {{"download", to_json(all, wall)},
            {"per_node", nodes},
            {"journal_before", {{"files", before.files}, {"bytes", before.bytes}}}};
  return d;
}

}  // namespace fanout
