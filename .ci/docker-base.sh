#!/usr/bin/env bash
# Makes a Docker engine and a JRE base image available for the image tests (DockerImageIntegrationTests), on a
# machine that reaches Debian's package mirrors but no image registry:
#   1. installs Debian's docker.io and debootstrap when missing;
#   2. starts dockerd when no engine answers, with --bridge=none --iptables=false so that containers use the host
#      network only (traffic stays on 127.0.0.1) and the host's firewall is left alone;
#   3. builds a JRE base image: a Debian root (debootstrap --variant=minbase: glibc, coreutils, passwd for useradd)
#      plus a Java runtime jlinked from this machine's JDK (Temurin 25 by default) in /opt/java/openjdk, then
#      docker import; unless an image of the same tag, recipe and JDK build is already there (cached between runs
#      on the same machine).
#
# Usage: .ci/docker-base.sh [FILE]   FILE receives the PID of the dockerd this script started (empty when an engine
#                                    was already running), so that the caller stops exactly that process.
# Environment: PORTAO_DOCKER_JDK (the JDK to jlink, default /usr/lib/jvm/temurin-25-jdk-<arch>, else the first JDK 25
# under /usr/lib/jvm), PORTAO_DOCKER_BASE_IMAGE (tag, default portao/jre-base:<the JDK's feature version>, so
# portao/jre-base:25; PORTAO_DOCKER_JDK=/usr/lib/jvm/java-17-openjdk-amd64 builds portao/jre-base:17),
# PORTAO_DOCKER_STORAGE_DRIVER (dockerd's choice by default), PORTAO_DEBIAN_MIRROR (default: the Debian mirror this
# machine's apt uses).
set -euo pipefail

# Bump when the recipe below changes: an image built by an older recipe is rebuilt, not reused.
# 1: Debian's openjdk-17-jre-headless. 2: a runtime jlinked from the machine's JDK (25 by default).
RECIPE=2
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

# The JDK to jlink: PORTAO_DOCKER_JDK, else Temurin 25 where this kind of machine has it, else the first JDK 25 with
# jlink under /usr/lib/jvm. Debian 12 packages no JDK 25: a machine without one gets a message, not a base that
# silently holds another Java.
find_jdk() {
  local arch candidate
  if [ -n "${PORTAO_DOCKER_JDK:-}" ]; then
    [ -x "$PORTAO_DOCKER_JDK/bin/jlink" ] || { log "PORTAO_DOCKER_JDK=$PORTAO_DOCKER_JDK has no bin/jlink" >&2; exit 1; }
    echo "$PORTAO_DOCKER_JDK"
    return
  fi
  arch=$(dpkg --print-architecture)
  for candidate in "/usr/lib/jvm/temurin-25-jdk-$arch" /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/jlink" ] && grep -q '^JAVA_VERSION="25[."]' "$candidate/release" 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  log "no JDK 25 with jlink under /usr/lib/jvm: install one (Temurin 25) or set PORTAO_DOCKER_JDK to a JDK's home" >&2
  log "(PORTAO_DOCKER_JDK=/usr/lib/jvm/java-17-openjdk-$arch builds a Java 17 base, portao/jre-base:17)" >&2
  exit 1
}

# A field of the JDK's release file (JAVA_VERSION="25.0.3" -> 25.0.3).
jdk_release() { sed -n "s/^$2=\"\(.*\)\"$/\1/p" "$1/release"; }

JDK=$(find_jdk)
JDK_FEATURE=$(jdk_release "$JDK" JAVA_VERSION | cut -d. -f1)
# The exact build (vendor and version): a JDK updated on the machine rebuilds the base instead of reusing the old.
JDK_BUILD="$(jdk_release "$JDK" IMPLEMENTOR) $(jdk_release "$JDK" JAVA_RUNTIME_VERSION)"
BASE_IMAGE="${PORTAO_DOCKER_BASE_IMAGE:-portao/jre-base:$JDK_FEATURE}"
case "$BASE_IMAGE" in
  *:[0-9]*) [ "${BASE_IMAGE##*:}" = "$JDK_FEATURE" ] \
    || { log "$BASE_IMAGE would hold Java $JDK_FEATURE ($JDK): set PORTAO_DOCKER_JDK or the tag to match"; exit 1; } ;;
esac

# The runtime's modules. jdeps --print-module-deps --ignore-missing-deps --multi-release 25 --recursive on the
# extracted jar and its lib/ lists java.base, java.compiler, java.desktop (java.beans, for Spring), java.instrument,
# java.naming, java.net.http, java.prefs, java.scripting, java.sql, jdk.jfr, jdk.management and jdk.unsupported
# (Netty's and Reactor's sun.misc.Unsafe). A static analysis misses what is looked up at run time, and the base
# must not depend on one build of the jar, so the list is the whole of java.se plus what a server may load by name:
# jdk.crypto.ec (EC keys and TLS named groups on Java 17; an empty shell kept for compatibility on 25),
# jdk.management and jdk.management.jfr (JFR recordings and the JVM's MXBeans through JMX), jdk.management.agent
# (remote JMX on request), jdk.naming.dns (JNDI DNS look-ups), jdk.zipfs (the zip file system), jdk.localedata
# (locales beyond English), jdk.charsets (the extended charsets) and jdk.net (extended socket options such as
# TCP_KEEPIDLE). No tools (jcmd, jshell, javac): the image runs the application only.
# Every security provider that conf/security/java.security lists must be there too: java.smartcardio (SunPCSC, not
# part of java.se), jdk.crypto.cryptoki (SunPKCS11) and jdk.security.jgss (JdkSASL). When one is missing, the JDK
# looks for it with a ServiceLoader over the class path the first time a TLS context is set up, which instantiates
# the BouncyCastle provider that Spring Cloud brings (bcprov): 631 more classes at every start, from a signed jar,
# which no CDS archive or AOT cache can hold (6 classes with the providers present).
MODULES=java.se,jdk.unsupported,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.management.jfr,jdk.management.agent
MODULES=$MODULES,jdk.naming.dns,jdk.zipfs,jdk.localedata,jdk.charsets,jdk.net
MODULES=$MODULES,java.smartcardio,jdk.crypto.cryptoki,jdk.security.jgss
JAVA_HOME_IN_IMAGE=/opt/java/openjdk

cached() {
  [ "$(docker image inspect -f '{{index .Config.Labels "io.portao.base.recipe"}}' "$BASE_IMAGE" 2>/dev/null)" = "$RECIPE" ] \
    && [ "$(docker image inspect -f '{{index .Config.Labels "io.portao.base.jdk"}}' "$BASE_IMAGE" 2>/dev/null)" = "$JDK_BUILD" ]
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
  log "building $BASE_IMAGE: debootstrap $SUITE (minbase) from ${mirror:-the default mirror of debootstrap}"
  # minbase: glibc, libstdc++ and zlib (Debian's OpenJDK links both), dpkg, apt, coreutils, passwd (useradd,
  # groupadd). No Java package: the runtime comes from jlink below.
  if ! debootstrap --variant=minbase "$SUITE" "$root" $mirror >/var/log/portao-debootstrap.log 2>&1; then
    tail -n 20 /var/log/portao-debootstrap.log >&2
    exit 1
  fi
  log "debootstrap done in $(since "$start")"
  # Package caches, lists and docs are of no use in an image that never runs apt.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc \
    "$root"/usr/share/man "$root"/usr/share/info "$root"/usr/share/locale
  jlink_runtime "$root$JAVA_HOME_IN_IMAGE"
  tar --numeric-owner -C "$root" -c . | docker import \
    --change 'ENV LANG=C.UTF-8' \
    --change "ENV JAVA_HOME=$JAVA_HOME_IN_IMAGE" \
    --change "ENV PATH=$JAVA_HOME_IN_IMAGE/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "LABEL io.portao.base.recipe=$RECIPE" \
    --change "LABEL io.portao.base.jdk=\"$JDK_BUILD\"" \
    --change 'CMD ["bash"]' \
    - "$BASE_IMAGE" >/dev/null
  # The runtime must start in the image (its glibc and libraries), not only on this machine.
  if ! docker run --rm --network host "$BASE_IMAGE" java -version >/tmp/portao-jre-base-check.log 2>&1; then
    cat /tmp/portao-jre-base-check.log >&2
    docker image rm "$BASE_IMAGE" >/dev/null 2>&1 || true
    log "$BASE_IMAGE does not start java: removed"
    exit 1
  fi
  log "built $BASE_IMAGE ($JDK_BUILD, $(docker image inspect -f '{{.Size}}' "$BASE_IMAGE" | numfmt --to=iec)) in $(since "$start")"
}

# A runtime with MODULES only, jlinked from JDK into $1. --strip-debug, --no-man-pages and --no-header-files drop
# what a server never reads (debug attributes, man pages, C headers: 169 -> 156 MB for Temurin 25).
# --generate-cds-archive writes the runtime's default CDS archive (lib/server/classes.jsa, what a JDK ships and a
# plain jlink omits): Java 17's dynamic archive (-XX:ArchiveClassesAtExit, written by the Dockerfile) is layered on
# it ("DynamicDumpSharedSpaces is unsupported when base CDS archive is not loaded" without it), and every start
# without an archive maps the JDK's own classes from it. Not --compress: lib/modules stays uncompressed, since
# class loading at start-up would pay for the decompression.
# Temurin 25 ships no jmods/: its jlink links from the JDK's own run-time image (JEP 493).
jlink_runtime() {
  local start; start=$(now)
  mkdir -p "$(dirname "$1")"
  if ! "$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
      --generate-cds-archive --output "$1" >/var/log/portao-jlink.log 2>&1; then
    tail -n 20 /var/log/portao-jlink.log >&2
    exit 1
  fi
  log "jlinked $JDK_BUILD ($JDK) into $JAVA_HOME_IN_IMAGE ($(du -sm "$1" | cut -f1) MB) in $(since "$start")"
}

total=$(now)
install_packages
ensure_engine
if cached; then
  log "$BASE_IMAGE is cached (recipe $RECIPE, $JDK_BUILD): skipping the build"
else
  build_base
fi
log "ready in $(since "$total")"
