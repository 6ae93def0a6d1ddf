#!/usr/bin/env bash
# Installs what is missing, builds the solution and runs every test project.
# Last line: "tests: N passed, N failed, N skipped"; exit code non-zero if anything failed or no test ran.
set -uo pipefail
cd "$(dirname "$0")"

ensure_packages() {
  local missing=() pkg
  for pkg in postgresql rabbitmq-server redis-server poppler-utils python3-aiosmtpd softhsm2; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  # Node.js and npm run the OpenID Connect conformance check (openid-client, tools/oidc-conformance).
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
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
(cd tools/oidc-conformance && npm ci --no-audit --no-fund >/dev/null) || { echo "npm ci (tools/oidc-conformance) failed"; summary 0 0 0; exit 1; }

echo "Building Gosuslugi.Health.sln ..."
if ! dotnet build Gosuslugi.Health.sln -c Debug -nologo -clp:ErrorsOnly; then
  echo "build failed"
  summary 0 0 0
  exit 1
fi

results=$(mktemp -d "${TMPDIR:-/tmp}/gh-test-results.XXXXXX")
trap 'rm -rf "$results"' EXIT
export results

# Every test project of the solution; the slowest first so that two at a time pack well.
mapfile -t projects < <(dotnet sln Gosuslugi.Health.sln list | grep -E '\.Tests\.csproj$' \
  | awk '{ print (/EndToEnd|AppHost/ ? 0 : 1) "\t" $0 }' | sort | cut -f2-)
if [ "${#projects[@]}" -eq 0 ]; then
  echo "no test project found"
  summary 0 0 0
  exit 1
fi

# Two test projects at a time (the machines have 2 cores; each test process starts its own
# PostgreSQL, RabbitMQ and Redis), each with its own results folder. A hung test host is killed
# after 10 minutes so the suite always ends.
run_one() {
  local project=$1 name
  name=$(basename "$project" .csproj)
  echo "running $name ..."
  dotnet test "$project" -c Debug --no-build -nologo \
    --results-directory "$results/$name" --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --blame-hang-timeout 10m --blame-hang-dump-type none >"$results/$name.log" 2>&1
  echo $? >"$results/$name.exit"
  echo "finished $name (exit $(cat "$results/$name.exit"))"
}
export -f run_one
printf '%s\n' "${projects[@]}" | xargs -P 2 -I{} bash -c 'run_one "$1"' _ {}

passed=0 failed=0 skipped=0 ran=0 status=0
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  echo "===== $name"
  cat "$results/$name.log" 2>/dev/null
  trx=$(find "$results/$name" -name '*.trx' 2>/dev/null | head -n1)
  exit_code=$(cat "$results/$name.exit" 2>/dev/null || echo 1)
  if [ -z "$trx" ]; then
    echo "$name: no test results (test host crashed?)"
    failed=$((failed + 1)); status=1
    continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  attr() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  p=$(attr passed)
  f=$(($(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted)))
  s=$(($(attr total) - $(attr executed)))
  if [ "$exit_code" -ne 0 ] && [ "$f" -eq 0 ]; then
    # A crashed or aborted test host may leave no failed count; never report such a run as green.
    echo "$name: dotnet test exited with code $exit_code"
    f=1
  fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s)); ran=$((ran + p + f))
done

[ "$failed" -eq 0 ] || status=1
if [ "$ran" -eq 0 ]; then
  echo "no test ran"
  status=1
fi
summary "$passed" "$failed" "$skipped"
exit "$status"
