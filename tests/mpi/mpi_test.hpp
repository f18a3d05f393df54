// The World shared by the MPI tests of src/mpi (created once in mpi_test_main.cpp).
#pragma once

#include "mpi/world.hpp"

namespace fanout::test {

World& world();

}  // namespace fanout::test
