#!/usr/bin/env bash
# submit.sh submits a collsim sweep to Slurm: a job array of TASKS tasks, each
# running one shard (sweep-array.sh), and a merge job (merge.sh) that starts
# when every task has succeeded (--dependency=afterok) and is cancelled if
# one fails (--kill-on-invalid-dep). Results go to OUT; logs to OUT/logs.
#
# Usage: deploy/slurm/submit.sh SWEEP.toml OUT TASKS [sbatch options...]
#   e.g. deploy/slurm/submit.sh scenarios/sweeps/lhs-behaviour.toml results/lhs 16 --partition=short
#
# Environment: SIM, the sim binary (default: sim on the PATH; build it with
# go build -o bin/sim ./cmd/sim); WAIT=1 to wait until the merge job ends
# (sbatch --wait) and exit with its status.
set -euo pipefail
if [ $# -lt 3 ]; then
	sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
sweep=$(realpath "$1")
out=$(realpath -m "$2")
tasks=$3
shift 3
case $tasks in '' | *[!0-9]* | 0) echo "submit.sh: TASKS must be a whole number above 0, got $tasks" >&2; exit 2 ;; esac
sim=${SIM:-$(command -v sim || true)}
if [ -z "$sim" ] || [ ! -x "$sim" ]; then
	echo "submit.sh: no sim binary: set SIM, or put sim on the PATH" >&2
	exit 2
fi
sim=$(realpath "$sim")
"$sim" sweep "$sweep" --dry-run # fail here, not in every task, if the sweep file is wrong
mkdir -p "$out/logs"

array=$(sbatch --parsable --array="0-$((tasks - 1))" --output="$out/logs/sweep-%A_%a.out" \
	--export="ALL,SIM=$sim,SWEEP=$sweep,OUT=$out" "$@" "$here/sweep-array.sh")
array=${array%%;*}
echo "submitted the sweep: job array $array, $tasks tasks"

wait=()
[ -n "${WAIT:-}" ] && wait=(--wait)
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
	--output="$out/logs/merge-%j.out" --export="ALL,SIM=$sim,OUT=$out,TASKS=$tasks" "$@" \
	"${wait[@]}" "$here/merge.sh")
echo "merge job ${merge%%;*} (after the array): results in $out"
