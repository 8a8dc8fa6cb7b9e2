#!/usr/bin/env bash
# scripts/validity.sh regenerates docs/validity/ and the generated parts of
# docs/MODEL.md §7 (Calibration) and §10 (Validity): it calibrates the
# historical campaign from 1927 (writing scenarios/calibrated/historical-1927.toml,
# and scenarios/calibrated/historical-1929.toml with the same fitted values
# and the 1929 start), validates the calibrated and the hand-calibrated
# scenarios against the targets, runs the Morris and Sobol sensitivity sweeps
# and the mechanism ablation, and copies the reports (Markdown, CSV, PNG,
# SVG) into docs/validity/. About 15–25 minutes on two cores; every long command runs
# under nice -n 19.
#
# Usage: scripts/validity.sh            # from scratch (results/validity/ is the scratch folder)
#        RESUME=1 scripts/validity.sh   # continue an interrupted run
#        WORKERS=N scripts/validity.sh  # runs at a time (default: the number of CPUs)
#
# Reduced sizes, to stay within the time (docs/validity/README.md says what
# they cost): the calibration and the ablation run 50,000 households (1:500),
# the sensitivity sweeps 20,000 (1:1250); the validation runs the scenarios
# at their own 250,000 (1:100).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
start=$(date +%s)
log() { printf '\n== %s (%ds)\n' "$*" "$(( $(date +%s) - start ))" >&2; }

work=results/validity
docs=docs/validity
workers=${WORKERS:-$(nproc)}
resume=()
if [ -n "${RESUME:-}" ]; then
	resume=(--resume)
else
	rm -rf "$work"
fi
mkdir -p "$work" "$docs"
sim="$work/sim"
go build -o "$sim" ./cmd/sim
run() { nice -n 19 "$sim" "$@" --workers "$workers"; }

log "calibrating the historical campaign from 1927 (ABC-SMC)"
run calibrate scenarios/historical-1927.toml \
	--targets data/targets/seed.toml --targets data/targets/record.toml --targets data/targets/voluntary-years.toml \
	--params data/calibration/historical-1927.toml \
	--out "$work/calibration" --calibrated scenarios/calibrated/historical-1927.toml "${resume[@]}" \
	| tee "$work/calibration.txt"

# The 1929 scenario with the same fitted values: the persuasion of the
# voluntary years (its [[phases]] blocks) does not apply to it.
log "writing scenarios/calibrated/historical-1929.toml from the 1927 calibration"
awk '
	/^\[/ { table = 1 }
	!table && /^extends = / { print "extends = \"../historical-1929.toml\""; next }
	!table && /^name = / { print "name = \"historical-1929-calibrated\""; next }
	!table && /^description = / { print "description = \"USSR 1929–1930, with the values fitted from 1927 (calibrated to the voluntary years, seed and record)\""; next }
	/^\[\[phases\]\]/ { skip = 1; next }
	/^\[\[/ { skip = 0 }
	skip { next }
	NR == 1 { print "# Derived by scripts/validity.sh from calibrated/historical-1927.toml: the same"; print "# fitted values, the 1929 start; the voluntary years persuasion does not apply." }
	{ print }
' scenarios/calibrated/historical-1927.toml >scenarios/calibrated/historical-1929.toml

log "validating the calibrated campaign from 1927 against history (10 replicates)"
run validate-history scenarios/calibrated/historical-1927.toml \
	--targets data/targets/seed.toml --targets data/targets/record.toml --targets data/targets/voluntary-years.toml \
	--replicates 10 --out "$work/history-1927" "${resume[@]}" | tee "$work/history-1927.txt"

log "validating the calibrated scenario from 1929 against history (10 replicates)"
run validate-history scenarios/calibrated/historical-1929.toml \
	--targets data/targets/seed.toml --targets data/targets/record.toml \
	--replicates 10 --out "$work/history" "${resume[@]}" | tee "$work/history.txt"

log "validating the hand-calibrated scenario, for comparison"
run validate-history scenarios/historical-1929.toml \
	--targets data/targets/seed.toml --targets data/targets/record.toml \
	--replicates 10 --out "$work/history-hand" "${resume[@]}" | tee "$work/history-hand.txt"

log "Morris screening"
run sensitivity scenarios/sweeps/morris-historical.toml --out "$work/morris" "${resume[@]}" | tee "$work/morris.txt"

log "Sobol indices"
run sensitivity scenarios/sweeps/sobol-historical.toml --out "$work/sobol" "${resume[@]}" | tee "$work/sobol.txt"

log "mechanism ablation (10 replicates, 50,000 households)"
run ablate scenarios/calibrated/historical-1929.toml --households 50000 --replicates 10 \
	--out "$work/ablation" "${resume[@]}" | tee "$work/ablation.txt"

log "the voluntary counterfactuals over the posterior (50 parameter sets, 25,000 households, to the end of 1932)"
mkdir -p "$work/voluntary-posterior"
for pair in "voluntary.toml calibrated/historical-1929.toml voluntary-1929" "voluntary-1927.toml calibrated/historical-1927.toml voluntary-1927"; do
	set -- $pair
	run compare "scenarios/$1" "scenarios/$2" --posterior "$work/calibration/particles.csv" --replicates 50 \
		--households 25000 --set end=1933-01-01 --format md --out "$work/voluntary-posterior/$3.md" --quiet
done

log "copying the reports into $docs"
rm -rf "$docs"
mkdir -p "$docs"
copy() { # copy SRC-DIR DST-DIR FILES...
	local src=$1 dst=$2
	shift 2
	mkdir -p "$dst"
	for f in "$@"; do cp "$src/$f" "$dst/$f"; done
}
copy "$work/calibration" "$docs/calibration" calibration.md calibrate.toml particles.csv generations.csv posterior.csv pairs.png pairs.svg
copy "$work/history-1927" "$docs/history-1927" history.md history.csv history.png history.svg targets.png targets.svg
copy "$work/history" "$docs/history" history.md history.csv history.png history.svg targets.png targets.svg
copy "$work/history-hand" "$docs/history-hand" history.md history.csv history.png history.svg targets.png targets.svg
copy "$work/morris" "$docs/morris" sensitivity.md sensitivity.csv sensitivity.png sensitivity.svg
copy "$work/sobol" "$docs/sobol" sensitivity.md sensitivity.csv sensitivity.png sensitivity.svg
copy "$work/ablation" "$docs/ablation" ablation.md ablation.csv ablation.png ablation.svg
mkdir -p "$docs/voluntary-posterior"
cp "$work"/voluntary-posterior/*.md "$work"/voluntary-posterior/*.png "$docs/voluntary-posterior/"

took=$(( $(date +%s) - start ))
log "writing $docs/README.md and the generated parts of docs/MODEL.md"
"$sim" validity-docs --dir "$docs" --seconds "$took" --command "scripts/validity.sh" --cpus "$(nproc)"
go test ./cmd/sim -run ModelDocValidity -count=1 -update-docs >/dev/null

log "done: $docs regenerated in $(( $(date +%s) - start ))s"
