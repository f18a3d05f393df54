// The URL list's one reader: rank 0 reads and checks it, share_bytes carries it to every node.
#include "workload/io/shared_url_plan.hpp"

#include <memory>
#include <utility>

#include "mpi/agree.hpp"
#include "mpi/shared_bytes.hpp"

namespace fanout {

UrlPlan shared_url_plan(World& world, const IoSpec& spec, const std::string& serve_base_url) {
  if (spec.url_file.empty()) return UrlPlan(spec, serve_base_url);
  std::string text, index;
  agreed(world, true, [&] {
    text = read_url_file(spec.url_file);
    index = check_url_file(spec, text, serve_base_url).to_bytes();
  });
  index = world.bcast_string(index);
  std::shared_ptr<const SharedBytes> shared = share_bytes(world, std::move(text));
  const std::string_view view = shared->view();
  return UrlPlan(spec, serve_base_url, {std::move(shared), view}, UrlFileIndex::from_bytes(index));
}

}  // namespace fanout
