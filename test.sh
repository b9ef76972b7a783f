#!/usr/bin/env bash
# The whole test suite, from a fresh machine that has only the .NET SDK:
# installs the Debian tools the tests drive (Prometheus, promtool, Alertmanager, amtool, docker-compose,
# espeak-ng, sox), builds, runs every test, and prints "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v sox >/dev/null 2>&1 || need+=(sox)
if ((${#need[@]})); then
  echo "test.sh: installing Debian packages: ${need[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi

results="$(pwd)/TestResults"
rm -rf "$results"
dotnet build Synthetic.sln -c Release -nologo -clp:ErrorsOnly
set +e
dotnet test Synthetic.sln -c Release --no-build --nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" --blame-hang-timeout 10m "$@"
status=$?
set -e

trx=$(find "$results" -name '*.trx' | head -1)
if [ -z "$trx" ]; then
  echo "tests: 0 passed, 0 failed, 0 skipped"
  echo "test.sh: no test results were written" >&2
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
total=$(get total); passed=$(get passed); failed=$(get failed); skipped=$(get notExecuted)
echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [ "${total:-0}" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit $status
