#!/usr/bin/env bash
# One task of a collsim sweep run as a Slurm job array: task I of an array of
# N tasks runs shard I/N of the sweep (the runs k with k mod N = I) into
# $OUT/shard-I-of-N, with --resume, so a requeued or resubmitted task
# continues where it stopped. submit.sh submits it with a merge job after it.
#
# Environment: SWEEP (the sweep file), OUT (the sweep's output folder), SIM
# (the sim binary; default: sim on the PATH).
#SBATCH --job-name=collsim-sweep
#SBATCH --cpus-per-task=1
#SBATCH --requeue
set -euo pipefail
: "${SWEEP:?set SWEEP to the sweep file}" "${OUT:?set OUT to the output folder}"
: "${SLURM_ARRAY_TASK_ID:?not a task of a Slurm job array}" "${SLURM_ARRAY_TASK_COUNT:?not a task of a Slurm job array}"
SIM=${SIM:-sim}
# Arrays may start at any index (--array=1-8): shards count from 0.
shard=$(( SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-0} ))
exec "$SIM" sweep "$SWEEP" --out "$OUT" --shard "$shard/$SLURM_ARRAY_TASK_COUNT" \
	--workers "${SLURM_CPUS_PER_TASK:-1}" --resume
