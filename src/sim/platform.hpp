// The simulated cluster: a SimGrid fat tree of identical many-core nodes, as platform XML.
#pragma once

#include <string>

namespace fanout::sim {

/// What the modelled cluster is made of. Defaults: an InfiniBand-class fat tree (100 Gb/s links,
/// 0.5 us per link, so about 2 us between nodes on different leaf switches) of 40-core nodes,
/// with shared-memory messages inside a node (0.3 us, 50 GB/s).
struct PlatformSpec {
  int nodes = 1;
  int cores = 40;
  double link_bandwidth_Bps = 12.5e9;
  double link_latency_s = 0.5e-6;
  double local_bandwidth_Bps = 50e9;
  double local_latency_s = 0.3e-6;
};

/// The two-level fat tree's parameters for `nodes` hosts: leaf switches of a hosts each, b of
/// them, a x b = nodes with a the largest divisor of nodes not above its square root
/// ("2;16,16;1,16;1,1" for 256, "2;40,64;1,40;1,1" for 2,560).
std::string fat_tree_parameters(int nodes);

/// The platform file's text: one <cluster> with hosts node-0 ... node-(nodes-1).
std::string platform_xml(const PlatformSpec& spec);

/// "node-N", the name of the host of node N in platform_xml.
std::string host_name(int node);

}  // namespace fanout::sim
