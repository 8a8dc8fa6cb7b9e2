#!/usr/bin/env bash
# scripts/test.sh runs every test of collsim, as CI does (.ci/run calls it).
#
# On a fresh machine it first installs what the tests need when it is
# missing: Chromium for the browser test of `sim serve`, and a one-node Slurm
# (slurm-wlm and munge, started here and stopped on exit) for the job-array
# test of `sim sweep`. It needs root for apt-get; without root, tests whose
# dependency is missing fail (they only skip under a plain `go test`).
#
# Then it checks formatting and vet, runs the whole suite (including the
# pattern tests against history and the browser and Slurm tests), and runs
# the concurrent code again under the race detector (-short), then every
# fuzz target for a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
start=$(date +%s)
log() { printf '\n== %s (%ds)\n' "$*" "$(( $(date +%s) - start ))"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
apt_updated=""
apt_install() {
	if [ -z "$apt_updated" ]; then
		as_root apt-get update -qq
		apt_updated=1
	fi
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- Chromium (for chromedp) ---
if ! command -v chromium >/dev/null 2>&1; then
	log "installing chromium"
	apt_install chromium fonts-dejavu-core || echo "could not install chromium"
fi
export COLLSIM_REQUIRE_BROWSER=1

# --- a one-node Slurm (see shared notes: slurm.md) ---
slurm_dir=""
stop_slurm() {
	[ -n "$slurm_dir" ] || return 0
	for f in "$slurm_dir"/slurmd.pid "$slurm_dir"/slurmctld.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
	done
}
trap stop_slurm EXIT
if ! command -v sbatch >/dev/null 2>&1 || [ ! -x /usr/sbin/munged ]; then
	log "installing slurm"
	apt_install slurm-wlm munge || echo "could not install slurm"
fi
if command -v slurmctld >/dev/null 2>&1 && ! sinfo -h >/dev/null 2>&1; then
	log "starting a one-node slurm"
	slurm_dir=$(mktemp -d /tmp/collsim-slurm.XXXXXX)
	chmod 755 "$slurm_dir"
	as_root mkdir -p /run/munge
	as_root chown munge:munge /run/munge || true
	pgrep -x munged >/dev/null || as_root runuser -u munge -- /usr/sbin/munged
	host=$(hostname)
	cat >"$slurm_dir/slurm.conf" <<CONF
ClusterName=collsim
SlurmctldHost=$host
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=root
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=$slurm_dir/state
SlurmdSpoolDir=$slurm_dir/spool
SlurmctldPidFile=$slurm_dir/slurmctld.pid
SlurmdPidFile=$slurm_dir/slurmd.pid
SlurmctldLogFile=$slurm_dir/slurmctld.log
SlurmdLogFile=$slurm_dir/slurmd.log
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
	mkdir -p "$slurm_dir/state" "$slurm_dir/spool"
	export SLURM_CONF="$slurm_dir/slurm.conf"
	as_root slurmctld -f "$SLURM_CONF"
	as_root slurmd -f "$SLURM_CONF"
	for _ in $(seq 1 30); do
		sinfo -h -o %t 2>/dev/null | grep -q idle && break
		sleep 1
	done
	sinfo || true
fi
export COLLSIM_REQUIRE_SLURM=1

# --- checks ---
log "gofmt and go vet"
unformatted=$(gofmt -l . | grep -v '^vendor/' || true)
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...

log "go test ./... (full suite)"
go test -count=1 -timeout 20m ./...

log "go test -race -short ./..."
go test -count=1 -race -short -timeout 20m ./...

# Every fuzz target, briefly (FUZZTIME each, 8s by default: about 2.5
# minutes in all). go test -fuzz takes one target at a time; targets are
# found by name in the test files, so that a new one runs without an edit
# here. A failure leaves its input in the package's testdata/fuzz/.
log "fuzz: every target for ${FUZZTIME:-8s}"
for file in $(grep -rl --include='*_test.go' '^func Fuzz' . | sort); do
	pkg=./$(dirname "${file#./}")
	for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
		echo "$pkg $target"
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "${FUZZTIME:-8s}" "$pkg"
	done
done

log "all tests passed"
