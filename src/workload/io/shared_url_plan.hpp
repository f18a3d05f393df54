// shared_url_plan: the URL list read and checked by rank 0 alone, its bytes held once per node.
#pragma once

#include <string>

#include "mpi/world.hpp"
#include "workload/io/io_spec.hpp"
#include "workload/io/url_plan.hpp"

namespace fanout {

/// Collective: the plan of `spec` on every rank. Rank 0 reads io.url-file and checks every line
/// (bad input: every rank throws AgreedFailure with rank 0's FILE:LINE message, exit 2); the bytes
/// go once to each node, where its ranks index into one shared copy; no other rank opens the file.
UrlPlan shared_url_plan(World& world, const IoSpec& spec, const std::string& serve_base_url);

}  // namespace fanout
