#!/usr/bin/env bash
# One task of a collsim calibration run as a Slurm job array (calibrate.sh
# submits it): task I of N runs shard I/N of each batch of proposals until
# it meets a batch whose other shards are unfinished.
#
# Environment: ARGS (the arguments of sim calibrate: the scenario, --targets,
# --params and --out), SIM (the sim binary; default: sim on the PATH).
#SBATCH --job-name=collsim-calibrate
#SBATCH --cpus-per-task=1
#SBATCH --requeue
set -euo pipefail
: "${ARGS:?set ARGS to the arguments of sim calibrate}"
: "${SLURM_ARRAY_TASK_ID:?not a task of a Slurm job array}" "${SLURM_ARRAY_TASK_COUNT:?not a task of a Slurm job array}"
SIM=${SIM:-sim}
shard=$(( SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-0} ))
# shellcheck disable=SC2086 # ARGS is a list of arguments without spaces in them
exec "$SIM" calibrate $ARGS --shard "$shard/$SLURM_ARRAY_TASK_COUNT" --workers "${SLURM_CPUS_PER_TASK:-1}"
