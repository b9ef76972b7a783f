#!/usr/bin/env bash
# Benchmarks: Synthetic side by side with blackbox_exporter (GitHub issue 6). See bench/README.md.
#
#   bash bench/run.sh                 full run (≈ 31 min on 2 cores), writes bench/results/latest.md
#   bash bench/run.sh --quick         smoke run (≈ 5 min), writes bench/results/raw/quick.md
#   bash bench/run.sh --no-detect     skip scenario 5 (time to detect, ≈ 3.5 min)
#   bash bench/run.sh --only cpu,accuracy,scale,canary,detect,cluster,startup   a subset (writes bench/results/raw/partial.md)
#   bash bench/run.sh --only cpu --quick --cpu-rates 13,200     scenario 1 alone, short windows, two of its rates (≈ 3 min)
#   bash bench/run.sh --scale-seconds N                          length of scenario 3 (default 240)
#   bash bench/run.sh --experiments   also variants of the monitor that locate its costs (≈ 8 min more)
#   bash bench/run.sh --only soak [--soak-minutes N]   1 h soak at 100 probes/s (not in the default set)
#   bash bench/run.sh --only throughput [--quick]      max sustained throughput of both (≈ 6 min; --quick ≈ 2.5; not in the default set)
#
# Installs what is missing (Debian nginx-light, prometheus-blackbox-exporter, prometheus,
# prometheus-alertmanager), builds Synthetic and the driver in Release, runs everything on 127.0.0.1 on free
# ports, and stops every process it started (by pid) when it ends, fails or is interrupted.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
cd "$repo"

quick=0
partial=0
limit=42m
soak=0
throughput=0
soak_minutes=60
previous=""
for arg in "$@"; do
  [ "$previous" = "--soak-minutes" ] && soak_minutes=$arg
  previous=$arg
  case "$arg" in
    *soak-minutes=*) soak_minutes=${arg#*=} ;;
  esac
  case "$arg" in *soak*) soak=1 ;; esac
  case "$arg" in *throughput*) throughput=1 ;; esac
  case "$arg" in
    --quick) quick=1 ;;
    --experiments) limit=57m ;;
    --only|--only=*|--cpu-rates|--cpu-rates=*) partial=1 ;;
    --soak-minutes|--soak-minutes=*|--throughput-checks*|--throughput-clients*) ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  esac
done

# The soak runs for its own length on top of the other scenarios' limit.
if [ "$soak" -eq 1 ]; then limit="$(( ${limit%m} + soak_minutes + 5 ))m"; fi
# So does the throughput scenario (the driver adds 8 min for it).
if [ "$throughput" -eq 1 ]; then limit="$(( ${limit%m} + 8 ))m"; fi

log() { printf '[run.sh %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# --- 1. Tools -----------------------------------------------------------------------------------
need=()
command -v nginx >/dev/null 2>&1 || need+=(nginx-light)
command -v prometheus-blackbox-exporter >/dev/null 2>&1 || need+=(prometheus-blackbox-exporter)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v dotnet >/dev/null 2>&1 || { echo "run.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 2; }
if ((${#need[@]})); then
  log "installing Debian packages: ${need[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  # Keep the packages' init scripts from starting system-wide daemons: this harness starts its own.
  policy_created=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo_cmd[@]}" chmod +x /usr/sbin/policy-rc.d
    policy_created=1
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  if [ "$policy_created" -eq 1 ]; then "${sudo_cmd[@]}" rm -f /usr/sbin/policy-rc.d; fi
fi

# --- 2. Scratch space and clean-up ----------------------------------------------------------------
tmp=$(mktemp -d /tmp/synthetic-bench.XXXXXX)
pids="$tmp/pids"
: >"$pids"
driver_pid=""

stop_pid() { # pid starttime: end a process we started, and only if the pid was not reused since
  local pid=$1 start=$2 signal=$3
  [ -r "/proc/$pid/stat" ] || return 0
  local now
  now=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $20}') || return 0
  [ "$now" = "$start" ] && kill "-$signal" "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$driver_pid" ] && kill -0 "$driver_pid" 2>/dev/null; then
    kill -TERM "$driver_pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$driver_pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$driver_pid" 2>/dev/null || true
  fi
  if [ -s "$pids" ]; then
    while read -r pid start _; do stop_pid "$pid" "$start" TERM; done <"$pids"
    sleep 1
    while read -r pid start _; do stop_pid "$pid" "$start" KILL; done <"$pids"
  fi
  if [ "$status" -ne 0 ] && [ -d "$tmp" ]; then
    mkdir -p "$here/results/raw/logs"
    cp "$tmp"/*.log "$here/results/raw/logs/" 2>/dev/null || true
    log "logs of the helper processes kept in bench/results/raw/logs/"
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 3. Build (Release) ---------------------------------------------------------------------------
log "building Synthetic and the driver (Release)"
build() { dotnet build bench/Synthetic.Bench/Synthetic.Bench.csproj -c Release -nologo -clp:ErrorsOnly -v:q; }
# Another build of the same projects may be running on this machine: try again once.
build || { log "build failed, retrying once"; sleep 5; build; }
# Run from a private copy, so a concurrent build of Synthetic cannot swap the binaries mid-run.
mkdir -p "$tmp/app" "$tmp/bench"
cp -a Synthetic/bin/Release/net10.0/. "$tmp/app/"
cp -a bench/Synthetic.Bench/bin/Release/net10.0/. "$tmp/bench/"

out="$here/results/latest.md"
if [ "$quick" -eq 1 ]; then out="$here/results/raw/quick.md"; elif [ "$partial" -eq 1 ]; then out="$here/results/raw/partial.md"; fi

# --- 4. Run (bounded: the driver stops itself after 40 min, 55 with --experiments; timeout(1) 2 min later) ---
log "running the scenarios; results go to ${out#"$repo"/}"
timeout --signal=TERM --kill-after=30s "$limit" \
  dotnet "$tmp/bench/Synthetic.Bench.dll" all --repo "$repo" --tmp "$tmp" --pids "$pids" --app "$tmp/app" --out "$out" \
  --command "bash bench/run.sh${*:+ $*}" "$@" &
driver_pid=$!
set +e
wait "$driver_pid"
status=$?
set -e
driver_pid=""
exit "$status"
