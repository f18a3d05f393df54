// The job script of one job of a farm's chain, from the slurm-farm.sh template. Pure: text in,
// text out; farm_submit.cpp writes and submits it.
#pragma once

#include <string>
#include <vector>

#include "batch/batch_scripts.hpp"
#include "batch/farm_chain.hpp"

namespace fanout {

/// "jobs/farm-K.sbatch", "jobs/farm-K.log", "runs/farm-K.json": job K's files in the farm
/// directory.
FarmJob farm_job_files(int index);

/// Job `index` of the chain: the farm's launch, and after it `fanout continue-farm`. With a
/// `dependency` ("afterany:ID"), it starts once that job has ended.
Script render_farm_script(const FarmChain& chain, const ScriptContext& ctx,
                          const TemplateSet& templates, int index, const std::string& dependency,
                          const std::string& resume);

}  // namespace fanout
