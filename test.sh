#!/usr/bin/env bash
# Installs what is missing, builds the solution and runs every test project.
# Last line: "tests: N passed, N failed, N skipped"; exit code non-zero if anything failed or no test ran.
set -uo pipefail
cd "$(dirname "$0")"

ensure_packages() {
  local missing=() pkg
  for pkg in postgresql rabbitmq-server redis-server; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing ${missing[*]} ..."
    $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
  fi
}

summary() { echo "tests: $1 passed, $2 failed, $3 skipped"; }

ensure_packages || { echo "package installation failed"; summary 0 0 0; exit 1; }
dotnet tool restore >/dev/null || { echo "dotnet tool restore failed"; summary 0 0 0; exit 1; }

echo "Building Gosuslugi.Health.sln ..."
if ! dotnet build Gosuslugi.Health.sln -c Debug -nologo -clp:ErrorsOnly; then
  echo "build failed"
  summary 0 0 0
  exit 1
fi

results=$(mktemp -d "${TMPDIR:-/tmp}/gh-test-results.XXXXXX")
trap 'rm -rf "$results"' EXIT

# Two test projects at a time (the machines have 2 cores; each test process starts its own
# PostgreSQL, RabbitMQ and Redis). A hung test host is killed after 10 minutes so the suite ends.
dotnet test Gosuslugi.Health.sln -c Debug --no-build -nologo -maxcpucount:2 \
  --results-directory "$results" --logger "trx" --logger "console;verbosity=normal" \
  --blame-hang-timeout 10m --blame-hang-dump-type none
test_exit=$?

passed=0 failed=0 skipped=0 files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  attr() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(attr total); executed=$(attr executed)
  passed=$((passed + $(attr passed)))
  failed=$((failed + $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted)))
  skipped=$((skipped + total - executed))
done

status=0
if [ "$test_exit" -ne 0 ]; then
  echo "dotnet test exited with code $test_exit"
  status=1
  # A crashed test host leaves no failed count behind; never report such a run as all green.
  [ "$failed" -gt 0 ] || failed=1
fi
[ "$failed" -eq 0 ] || status=1
if [ "$files" -eq 0 ] || [ $((passed + failed)) -eq 0 ]; then
  echo "no test ran"
  status=1
fi
summary "$passed" "$failed" "$skipped"
exit "$status"
