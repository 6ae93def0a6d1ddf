#!/usr/bin/env bash
# Measures an authenticated GET of the patient's vaccinations straight to the Immunizations service and
# through the gateway, in one run on this machine. Starts its own copy of the system (Release build,
# fresh data in .data/bench, ports from 9100) and stops it afterwards.
# Usage: bench/run.sh [--duration 20] [--concurrency 32] [--warmup 5] [--vaccinations 20] [--rounds 3]
set -euo pipefail
cd "$(dirname "$0")/.."

data_dir=.data/bench
port_base=${BENCH_PORT_BASE:-9100}
report=bench/results/immunizations-$(date -u +%Y%m%dT%H%M%SZ).md

dotnet build AppHost/Gosuslugi.Health.AppHost.csproj -c Release -nologo -clp:ErrorsOnly
dotnet build bench/Gosuslugi.Health.Bench/Gosuslugi.Health.Bench.csproj -c Release -nologo -clp:ErrorsOnly
apphost_dll=$(dotnet msbuild AppHost/Gosuslugi.Health.AppHost.csproj -nologo -p:Configuration=Release -getProperty:TargetPath)
bench_dll=$(dotnet msbuild bench/Gosuslugi.Health.Bench/Gosuslugi.Health.Bench.csproj -nologo -p:Configuration=Release -getProperty:TargetPath)

mkdir -p "$data_dir"
# The gateway's per-client limit would otherwise be what we measure: one benchmark client is one client.
Gateway__RateLimit__PermitsPerSecond=1000000 Gateway__RateLimit__Burst=1000000 \
  dotnet "$apphost_dll" --data-dir "$data_dir" --fresh --port-base "$port_base" --no-color >"$data_dir.log" 2>&1 &
apphost=$!
trap 'kill -TERM $apphost 2>/dev/null; wait $apphost 2>/dev/null || true' EXIT

dotnet "$bench_dll" --dashboard "http://127.0.0.1:$((port_base + 1))" --demo "$data_dir/demo.json" --report "$report" "$@"
echo "Report: $report (system log: $data_dir.log)"
