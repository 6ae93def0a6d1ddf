#!/usr/bin/env bash
# Starts the whole Gosuslugi.Health system on this machine: PostgreSQL, RabbitMQ and Redis as local
# processes (data in .data/), identity, every service and the gateway, through the AppHost.
# Usage: ./run.sh [--fresh] [AppHost options, e.g. --port-base 9000]   Ctrl+C stops everything.
set -euo pipefail
cd "$(dirname "$0")"

ensure_packages() {
  local missing=() pkg
  for pkg in postgresql rabbitmq-server redis-server python3-aiosmtpd; do
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

# A previous AppHost that was killed (kill -9, power loss) may have left its servers running on
# .data; stop exactly those (pid and command line must both match), never anything else.
stop_leftovers() {
  local pidfile=.data/apphost.pids pid marker
  [ -f "$pidfile" ] || return 0
  while read -r pid marker; do
    [ -n "${pid:-}" ] && [ -r "/proc/$pid/cmdline" ] || continue
    if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker"; then
      echo "Stopping leftover process $pid ($marker) from a previous run"
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done <"$pidfile"
  sleep 2
  while read -r pid marker; do
    [ -n "${pid:-}" ] && [ -r "/proc/$pid/cmdline" ] && kill -KILL "$pid" 2>/dev/null || true
  done <"$pidfile"
  rm -f "$pidfile"
}

ensure_packages
dotnet tool restore >/dev/null
stop_leftovers
echo "Building ..."
dotnet build AppHost/Gosuslugi.Health.AppHost.csproj -c Debug -nologo -clp:ErrorsOnly
apphost_dll=$(dotnet msbuild AppHost/Gosuslugi.Health.AppHost.csproj -nologo -p:Configuration=Debug -getProperty:TargetPath)

# The AppHost prints the gateway URL, the dashboard URL and the demo accounts (.data/demo.json)
# once everything is up, and stops every process it started on Ctrl+C or SIGTERM.
exec dotnet "$apphost_dll" "$@"
