// The World shared by the MPI tests of src/dist (created once in mpi_test_main.cpp).
#pragma once

#include "dist/world.hpp"

namespace fanout::test {

World& world();

}  // namespace fanout::test
