// What the launcher (mpirun, srun) tells a process through its environment, read before MPI starts.
#pragma once

namespace fanout {

/// This process's rank as the launcher set it (Open MPI, PMIx, PMI, Slurm), 0 when not launched.
/// Lets every rank parse the command line before MPI_Init and only rank 0 print errors and help.
int launcher_rank();

/// True when a launcher started this process as a rank (mpirun, or an srun job step), false for a
/// process started by hand or by a batch script, even inside an allocation.
bool started_by_launcher();

}  // namespace fanout
