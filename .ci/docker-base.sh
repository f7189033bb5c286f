#!/usr/bin/env bash
# Makes a Docker engine and a JRE base image available for the image tests (DockerImageIntegrationTests), on a
# machine that reaches Debian's package mirrors but no image registry:
#   1. installs Debian's docker.io and debootstrap when missing;
#   2. starts dockerd when no engine answers, with --bridge=none --iptables=false so that containers use the host
#      network only (traffic stays on 127.0.0.1) and the host's firewall is left alone;
#   3. builds a JRE base image from Debian's packages (debootstrap + openjdk-17-jre-headless, then docker import)
#      unless an image of the same tag and recipe is already there (cached between runs on the same machine).
#
# Usage: .ci/docker-base.sh [FILE]   FILE receives the PID of the dockerd this script started (empty when an engine
#                                    was already running), so that the caller stops exactly that process.
# Environment: PORTAO_DOCKER_BASE_IMAGE (tag, default portao/jre-base:17), PORTAO_DOCKER_STORAGE_DRIVER (dockerd's
# choice by default), PORTAO_DEBIAN_MIRROR (default: the Debian mirror this machine's apt uses).
set -euo pipefail

BASE_IMAGE="${PORTAO_DOCKER_BASE_IMAGE:-portao/jre-base:17}"
# Bump when the recipe below changes: an image built by an older recipe is rebuilt, not reused.
RECIPE=1
SUITE=bookworm
STARTED_PID_FILE="${1:-}"
DOCKERD_LOG=/var/log/portao-dockerd.log
DOCKERD_START_TIMEOUT=60

now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f s", e - s }'; }
log() { echo "docker-base: $*"; }

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] && return
  local start; start=$(now)
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  log "installed ${missing[*]} in $(since "$start")"
}

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

# Starts dockerd with the given storage driver ("" lets dockerd pick: overlay2 where the kernel allows it, else
# vfs) and waits, bounded, until it answers. Prints dockerd's PID; returns non-zero if it did not come up.
start_dockerd() {
  local driver="$1" args=(--bridge=none --iptables=false --ip6tables=false)
  [ -n "$driver" ] && args+=(--storage-driver="$driver")
  dockerd "${args[@]}" >>"$DOCKERD_LOG" 2>&1 &
  local pid=$! deadline=$((SECONDS + DOCKERD_START_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      return 1
    fi
    if engine_answers; then
      echo "$pid"
      return 0
    fi
    sleep 0.5
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return 1
}

ensure_engine() {
  : >"${STARTED_PID_FILE:-/dev/null}"
  if engine_answers; then
    log "a Docker engine is already running"
    return
  fi
  local start pid; start=$(now)
  if ! pid=$(start_dockerd "${PORTAO_DOCKER_STORAGE_DRIVER:-}"); then
    log "dockerd did not start with the default storage driver; retrying with vfs (see $DOCKERD_LOG)"
    if ! pid=$(start_dockerd vfs); then
      log "dockerd could not be started; last lines of $DOCKERD_LOG:"
      tail -n 20 "$DOCKERD_LOG" >&2
      exit 1
    fi
  fi
  [ -n "$STARTED_PID_FILE" ] && echo "$pid" >"$STARTED_PID_FILE"
  log "started dockerd (PID $pid, storage driver $(docker info -f '{{.Driver}}')) in $(since "$start")"
}

cached() {
  [ "$(docker image inspect -f '{{index .Config.Labels "io.portao.base.recipe"}}' "$BASE_IMAGE" 2>/dev/null)" = "$RECIPE" ]
}

# The mirror this machine's apt already uses, so that debootstrap reaches the same one; empty lets debootstrap use
# its default.
debian_mirror() {
  if [ -n "${PORTAO_DEBIAN_MIRROR:-}" ]; then
    echo "$PORTAO_DEBIAN_MIRROR"
    return
  fi
  cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | grep -v '^[[:space:]]*#' \
    | grep -oE '(https?|file)://[^ ]+/debian/?( |$)' | head -n 1 | tr -d ' ' || true
}

ROOTFS=""
trap '[ -z "$ROOTFS" ] || rm -rf "$ROOTFS"' EXIT

build_base() {
  local start root mirror; start=$(now)
  root=$(mktemp -d /var/tmp/portao-jre-base.XXXXXX)
  ROOTFS="$root"
  mirror=$(debian_mirror)
  log "building $BASE_IMAGE: debootstrap $SUITE (minbase + openjdk-17-jre-headless) from ${mirror:-the default mirror of debootstrap}"
  # minbase: dpkg, apt, coreutils, passwd (useradd); no Recommends, so no X11 or fonts beyond what the JRE needs.
  if ! debootstrap --variant=minbase --include=openjdk-17-jre-headless "$SUITE" "$root" $mirror \
      >/var/log/portao-debootstrap.log 2>&1; then
    tail -n 20 /var/log/portao-debootstrap.log >&2
    exit 1
  fi
  log "debootstrap done in $(since "$start")"
  # Package caches, lists and docs are of no use in an image that never runs apt.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc \
    "$root"/usr/share/man "$root"/usr/share/info "$root"/usr/share/locale
  tar --numeric-owner -C "$root" -c . | docker import \
    --change 'ENV LANG=C.UTF-8' \
    --change "ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)" \
    --change "LABEL io.portao.base.recipe=$RECIPE" \
    --change 'CMD ["bash"]' \
    - "$BASE_IMAGE" >/dev/null
  log "built $BASE_IMAGE ($(docker image inspect -f '{{.Size}}' "$BASE_IMAGE" | numfmt --to=iec)) in $(since "$start")"
}

total=$(now)
install_packages
ensure_engine
if cached; then
  log "$BASE_IMAGE is cached (recipe $RECIPE): skipping the build"
else
  build_base
fi
log "ready in $(since "$total")"
