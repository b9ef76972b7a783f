#!/usr/bin/env bash
# The whole test suite, from a fresh machine that has only the .NET SDK:
# installs the Debian tools the tests drive (Prometheus, promtool, Alertmanager, amtool, docker-compose,
# espeak-ng, sox, openssl, Festival voices, pocketsphinx + en-us model, PostgreSQL, Chromium), builds, runs every test, and prints "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have promtool || need+=(prometheus)
have prometheus-alertmanager || need+=(prometheus-alertmanager)
have docker-compose || need+=(docker-compose)
have espeak-ng || need+=(espeak-ng)
have sox || need+=(sox)
have openssl || need+=(openssl)
have festival || need+=(festival festvox-us-slt-hts festvox-kallpc16k festvox-kdlpc16k)
have pocketsphinx_continuous || need+=(pocketsphinx)
[ -d /usr/share/pocketsphinx/model/en-us/en-us ] || need+=(pocketsphinx-en-us)
[ -d /usr/share/pocketsphinx/test/data ] || need+=(pocketsphinx-testdata)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || need+=(postgresql)
have chromium || need+=(chromium)
have kubectl || need+=(kubernetes-client)
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
if [ "${failed:-0}" -gt 0 ]; then
  # The failures again, next to the count: a long console log is often read from its end.
  echo "test.sh: failed tests (first lines of each message; all of it in $trx):"
  awk '
    /<UnitTestResult / && /outcome="Failed"/ {
      match($0, /testName="[^"]*"/); print "  " substr($0, RSTART + 10, RLENGTH - 11); want = 1 }
    want && /<Message>/ { inmsg = 1; n = 0; sub(/.*<Message>/, "") }
    inmsg {
      done = sub(/<\/Message>.*/, "")
      if (n++ < 6) print "      " $0
      if (done) { inmsg = 0; want = 0 } }
  ' "$trx" | sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'
fi
echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [ "${total:-0}" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit $status
