#!/usr/bin/env bash
# calibrate.sh runs a collsim calibration (sim calibrate) on Slurm: each
# batch of proposals is split over a job array of TASKS tasks, one shard
# each (calibrate-array.sh). A task runs its shard of the current batch; the
# last shard of a batch to finish merges it and goes on to the next batch,
# and a task whose batch still has unfinished shards exits. So the script
# submits the array again (with --wait) until the calibration's outputs are
# written, each array advancing it by at least one batch. Results go to OUT,
# logs to OUT/logs.
#
# Usage: deploy/slurm/calibrate.sh SCENARIO.toml PARAMS.toml OUT TASKS TARGETS.toml... [-- sbatch options...]
#   e.g. deploy/slurm/calibrate.sh scenarios/historical-1929.toml data/calibration/historical-1929.toml \
#            results/calibration 16 data/targets/seed.toml data/targets/record.toml -- --partition=short
#
# Environment: SIM, the sim binary (default: sim on the PATH); ROUNDS, the
# most arrays to submit (default 200).
set -euo pipefail
if [ $# -lt 5 ]; then
	sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
scenario=$(realpath "$1")
params=$(realpath "$2")
out=$(realpath -m "$3")
tasks=$4
shift 4
case $tasks in '' | *[!0-9]* | 0) echo "calibrate.sh: TASKS must be a whole number above 0, got $tasks" >&2; exit 2 ;; esac
targets=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	targets+=(--targets "$(realpath "$1")")
	shift
done
[ "${1:-}" = "--" ] && shift
sim=${SIM:-$(command -v sim || true)}
if [ -z "$sim" ] || [ ! -x "$sim" ]; then
	echo "calibrate.sh: no sim binary: set SIM, or put sim on the PATH" >&2
	exit 2
fi
sim=$(realpath "$sim")
mkdir -p "$out/logs"
args="$scenario ${targets[*]} --params $params --out $out"
for round in $(seq 1 "${ROUNDS:-200}"); do
	if [ -f "$out/calibrated.toml" ] && [ -f "$out/posterior.csv" ]; then
		echo "calibration done after $((round - 1)) arrays: $out"
		exit 0
	fi
	echo "array $round: $tasks tasks"
	sbatch --parsable --wait --array="0-$((tasks - 1))" --output="$out/logs/calibrate-%A_%a.out" \
		--export="ALL,SIM=$sim,ARGS=$args" "$@" "$here/calibrate-array.sh" >/dev/null
done
echo "calibrate.sh: not done after ${ROUNDS:-200} arrays; see $out/logs" >&2
exit 1
