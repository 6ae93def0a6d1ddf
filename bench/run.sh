#!/usr/bin/env bash
# Runs one benchmark against its own copy of the system (Release build, fresh data in .data/bench, ports
# from 9100), writes a report to bench/results/ and stops the system afterwards.
#   bench/run.sh immunizations [--duration 20] [--concurrency 32] [--warmup 5] [--vaccinations 20] [--rounds 3]
#       an authenticated GET of the patient's vaccinations, straight to the service and through the gateway
#   bench/run.sh signin [--duration 20] [--concurrency 8] [--warmup 5] [--rounds 2] [--users 1500]
#       sign-ins per second with password + TOTP, and the token endpoint's latency
#   bench/run.sh records [--results 5000] [--ingest-parallel 8] [--concurrency 8] [--export-concurrency 2] [--duration 20] [--warmup 5] [--rounds 2]
#       one patient with 5,000 lab results over 10 years published as FHIR through the gateway (ingestion rate), then
#       with the patient's token through the gateway: history first page and a deep page by cursor, a 10-year trend
#       of one analyte (1,000 points), a PDF export of a period with 1,000 results
#   bench/run.sh appointments [--concurrency 8] [--duration 20] [--warmup 5]
#       the demo organization publishes ten doctors' schedules; the demo patient books distinct slots (bookings/s),
#       then 500 booking attempts race for one slot (outcome counts)
#   bench/run.sh livefeed [--events-per-second 100] [--duration 20] [--warmup 5]
#       events published on RabbitMQ at a fixed rate; the delay until each appears in the patient's live feed (SSE)
set -euo pipefail
cd "$(dirname "$0")/.."

scenario=${1:-immunizations}
[[ $# -gt 0 ]] && shift
case "$scenario" in immunizations|signin|records|appointments|livefeed) ;; *) echo "unknown scenario: $scenario (immunizations|signin|records|appointments|livefeed)" >&2; exit 2 ;; esac

bench_users=1500
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --users) bench_users=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

data_dir=.data/bench
# Telemetry as in production: 10 % of the traces started at the gateway, OpenTelemetry's export intervals (the
# dashboard's development settings, every trace and 1 s batches, are measured with BENCH_TRACE_RATIO=1).
trace_ratio=${BENCH_TRACE_RATIO:-0.1}
port_base=${BENCH_PORT_BASE:-9100}
report=bench/results/$scenario-$(date -u +%Y%m%dT%H%M%SZ).md

dotnet build AppHost/Gosuslugi.Health.AppHost.csproj -c Release -nologo -clp:ErrorsOnly
dotnet build bench/Gosuslugi.Health.Bench/Gosuslugi.Health.Bench.csproj -c Release -nologo -clp:ErrorsOnly
apphost_dll=$(dotnet msbuild AppHost/Gosuslugi.Health.AppHost.csproj -nologo -p:Configuration=Release -getProperty:TargetPath)
bench_dll=$(dotnet msbuild bench/Gosuslugi.Health.Bench/Gosuslugi.Health.Bench.csproj -nologo -p:Configuration=Release -getProperty:TargetPath)

mkdir -p "$data_dir"
# The benchmark waits for these two files of this run: a previous run's copies would send it to a system not yet there.
rm -f "$data_dir/resources.json" "$data_dir/demo.json"
extra_env=()
if [[ $scenario == signin ]]; then
  # Accounts with password + TOTP for the sign-in benchmark (identity's BenchUsersSeeder).
  extra_env+=(Identity__BenchUsers__Count="$bench_users" Identity__BenchUsers__File="$PWD/$data_dir/bench-users.json")
  args+=(--bench-users "$data_dir/bench-users.json")
fi
# The gateway's per-client limit would otherwise be what we measure: one benchmark client is one client.
env Gateway__RateLimit__PermitsPerSecond=1000000 Gateway__RateLimit__Burst=1000000 "${extra_env[@]}" \
  dotnet "$apphost_dll" --data-dir "$data_dir" --fresh --port-base "$port_base" --trace-ratio "$trace_ratio" >"$data_dir.log" 2>&1 &
apphost=$!
# SIGTERM makes the AppHost stop DCP, every server and project; nothing is left running.
trap 'kill -TERM $apphost 2>/dev/null; wait $apphost 2>/dev/null || true' EXIT

if [[ $scenario == signin ]]; then
  for _ in $(seq 1 300); do [[ -f $data_dir/bench-users.json ]] && break; sleep 1; done
fi
# The AppHost writes $data_dir/resources.json once every resource is healthy.
dotnet "$bench_dll" --scenario "$scenario" --demo "$data_dir/demo.json" --resources "$data_dir/resources.json" --report "$report" "${args[@]}"
echo "Report: $report (system log: $data_dir.log)"
