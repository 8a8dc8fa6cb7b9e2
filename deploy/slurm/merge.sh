#!/usr/bin/env bash
# Merges the shards of a collsim sweep run by sweep-array.sh into $OUT:
# runs.csv, summary.csv and the chart, the same as an unsharded sweep gives.
# It fails, naming what is missing, unless every run of every shard is there.
#
# Environment: OUT (the sweep's output folder), TASKS (the number of
# shards), SIM (the sim binary; default: sim on the PATH).
#SBATCH --job-name=collsim-merge
#SBATCH --cpus-per-task=1
set -euo pipefail
: "${OUT:?set OUT to the output folder}" "${TASKS:?set TASKS to the number of shards}"
SIM=${SIM:-sim}
shopt -s nullglob
shards=("$OUT"/shard-*-of-"$TASKS")
if [ ${#shards[@]} -eq 0 ]; then
	echo "merge.sh: no shard folders $OUT/shard-*-of-$TASKS" >&2
	exit 1
fi
exec "$SIM" merge "${shards[@]}" --out "$OUT"
