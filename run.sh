#!/usr/bin/env bash
# Starts the whole Gosuslugi.Health system on this machine through the .NET Aspire AppHost: PostgreSQL, RabbitMQ,
# Redis and a development SMTP server as local processes (data in .data/), identity, every service, the gateway and
# the development mailbox; the Aspire dashboard shows them all (resources, logs, traces, metrics).
# Usage: ./run.sh [--fresh] [AppHost options, e.g. --port-base 9000]   Ctrl+C stops everything.
set -euo pipefail
cd "$(dirname "$0")"

ensure_packages() {
  local missing=() pkg
  for pkg in postgresql rabbitmq-server redis-server python3-aiosmtpd softhsm2; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing ${missing[*]} ..."
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
  fi
}

ensure_packages
dotnet tool restore >/dev/null
echo "Building ..."
dotnet build AppHost/Gosuslugi.Health.AppHost.csproj -c Debug -nologo -clp:ErrorsOnly
apphost_dll=$(dotnet msbuild AppHost/Gosuslugi.Health.AppHost.csproj -nologo -p:Configuration=Debug -getProperty:TargetPath)

# The AppHost prints the gateway URL, the dashboard's login URL and the demo accounts (.data/demo.json) once every
# resource is healthy, and stops every process it started on Ctrl+C or SIGTERM (DCP also stops them when the AppHost
# itself is killed, so nothing is left behind).
exec dotnet "$apphost_dll" "$@"
