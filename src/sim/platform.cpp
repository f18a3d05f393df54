// Platform XML for SimGrid's <cluster topology="FAT_TREE">; pure text, no SimGrid call.
#include "sim/platform.hpp"

#include <sstream>

namespace fanout::sim {

std::string fat_tree_parameters(int nodes) {
  int leaf = 1;
  for (int a = 1; a * a <= nodes; ++a) {
    if (nodes % a == 0) leaf = a;
  }
  // leaf hosts under each leaf switch, each leaf switch with one link up to each of leaf spines.
  std::ostringstream s;
  s << "2;" << leaf << ',' << nodes / leaf << ";1," << leaf << ";1,1";
  return s.str();
}

std::string host_name(int node) { return "node-" + std::to_string(node); }

std::string platform_xml(const PlatformSpec& spec) {
  std::ostringstream s;
  s.precision(17);
  // The DOCTYPE is only a name: SimGrid fetches nothing.
  s << "<?xml version='1.0'?>\n"
    << "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
    << "<platform version=\"4.1\">\n"
    << "  <cluster id=\"cluster\" prefix=\"node-\" suffix=\"\" radical=\"0-" << spec.nodes - 1
    << "\" core=\"" << spec.cores << "\" speed=\"1Gf\" bw=\"" << spec.link_bandwidth_Bps
    << "Bps\" lat=\"" << spec.link_latency_s << "s\" loopback_bw=\"" << spec.local_bandwidth_Bps
    << "Bps\" loopback_lat=\"" << spec.local_latency_s << "s\" topology=\"FAT_TREE\" "
    << "topo_parameters=\"" << fat_tree_parameters(spec.nodes) << "\"/>\n"
    << "</platform>\n";
  return s.str();
}

}  // namespace fanout::sim
