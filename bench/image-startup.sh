#!/usr/bin/env bash
# Start-up of Portão's Docker image: time from `docker run` to the first 200 proxied through the gateway, N starts
# per variant, in alternation (A B A B ...), medians.
#
#   bash bench/image-startup.sh                                  # Dockerfile on portao/jre-base:17 and :25, each
#                                                                # with and without its archive, 5 starts each
#   bash bench/image-startup.sh --runs 7 --base portao/jre-base:25
#   bash bench/image-startup.sh --without-archive --image j25=portao:local
#
# Each start is `docker run --network host` of the image as a user runs it (its own ENTRYPOINT), with a configuration
# mounted at /config that routes /** to one backend on loopback (python3 -m http.server), and polls GET /small
# through the gateway every 20 ms (bench/lib.sh's wait_200: a connect until the port accepts, then curl; ~2 % of a
# core, so that the poll does not slow down the start it times). Printed per variant: medians of the wall time
# from `docker run` to the first 200 (container creation included), the JVM's CPU time at that moment (user +
# system, all threads, from /proc/PID/stat of the container's java) and Spring's "Started ... in". On a shared machine wall time follows
# the other load; compare CPU, or wall times of variants run in alternation.
# "without archive" mounts, over /app/jvm.args, the image's own argument file less its -XX:AOTCache /
# -XX:SharedArchiveFile line: the same JVM and flags, only the class-data-sharing archive the build wrote is unused
# (the runtime's default CDS archive of the JDK's own classes still is, as in any JRE).
# Needs a Docker engine (.ci/docker-base.sh starts one and builds the bases), curl and python3. Loopback only,
# every loop bounded, every container and process started here is stopped; built images are kept (tagged
# portao-bench:<base tag>) so that the next run reuses Docker's layer cache. KEEP_WORK=1 keeps the work directory
# (each start's container log, run-V-N/out.log, with JAVA_OPTS' -Xlog output for example) and prints its path.
set -eEuo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=bench/tls.sh
source "$(dirname "$0")/tls.sh"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=5
TIMEOUT=120
WITHOUT_ARCHIVE=0
DOCKER_OPTS=""
WAIT_IDLE=0
TLS=0
IDLE_TIMEOUT=300
BASES=(); IMAGES=()
# Per --base / --image: 1 when --without-archive came before it.
BASES_NA=(); IMAGES_NA=()

usage() {
  sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
  cat <<'EOF'
Options:
  --runs N             starts per variant (default 5, at most 50)
  --base TAG           build the Dockerfile with BASE_IMAGE=TAG (tagged portao-bench:<TAG's version>) and measure it;
                       repeatable (default: portao/jre-base:17 and portao/jre-base:25, with --without-archive)
  --image NAME=TAG     measure an existing image under the variant name NAME; repeatable
  --without-archive    also measure the images of the --base and --image options after it without their
                       class-data-sharing archive
  --docker-opts "..."  added to every docker run (e.g. "--memory 1g --cpus 2")
  --tls                the public port serves TLS (bench/run.sh's TLS configuration: a PEM bundle, self-signed
                       RSA 2048, as the reference's bapi-ssl.conf) and the poll asks https://
  --timeout S          give up on a start after S seconds (default 120)
  --wait-idle PCT      before each start, wait until the machine's CPUs were at least PCT % idle over one second
                       (checked every second, at most --idle-timeout seconds, then it starts anyway): on a shared
                       machine, starts in the quiet moments between other jobs
  --idle-timeout S     (default 300)
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --base) BASES+=("$2"); BASES_NA+=("$WITHOUT_ARCHIVE"); shift ;;
    --image) IMAGES+=("$2"); IMAGES_NA+=("$WITHOUT_ARCHIVE"); shift ;;
    --without-archive) WITHOUT_ARCHIVE=1 ;;
    --docker-opts) DOCKER_OPTS="$2"; shift ;;
    --tls) TLS=1 ;;
    --timeout) TIMEOUT="$2"; shift ;;
    --wait-idle) WAIT_IDLE="$2"; shift ;;
    --idle-timeout) IDLE_TIMEOUT="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [ ${#BASES[@]} -eq 0 ] && [ ${#IMAGES[@]} -eq 0 ]; then
  BASES=(portao/jre-base:17 portao/jre-base:25); BASES_NA=(1 1)
fi
case "$RUNS" in ''|*[!0-9]*) echo "--runs: $RUNS (expected: 1 to 50)" >&2; exit 2 ;; esac
[ "$RUNS" -ge 1 ] && [ "$RUNS" -le 50 ] || { echo "--runs: $RUNS (expected: 1 to 50)" >&2; exit 2; }

log() { printf '[image-startup %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

command -v curl >/dev/null 2>&1 || { echo "needs curl" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "needs python3 (the backend)" >&2; exit 1; }
timeout 10 docker info >/dev/null 2>&1 || { echo "no Docker engine answers: start one with .ci/docker-base.sh" >&2; exit 1; }

# --- what is stopped on exit: processes by PID, containers by name ----------------------------------------------
WORK="$(mktemp -d /tmp/portao-image-startup.XXXXXX)"
# The container's user (UID 10001) reads the configuration and static root mounted from here.
chmod 755 "$WORK"
PIDS=(); CONTAINERS=()
cleanup() {
  local c pid
  for c in "${CONTAINERS[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'echo "image-startup: a command failed at line $LINENO" >&2' ERR
trap 'exit 130' INT TERM

# --- the images ----------------------------------------------------------------------------------------------------
V_NAME=(); V_IMAGE=(); V_ARGS=()
add_variant() {
  # $1 = name, $2 = image, $3 = 1 to measure it without its archive too
  V_NAME+=("$1"); V_IMAGE+=("$2"); V_ARGS+=("")
  [ "$3" = 1 ] || return 0
  local args="$WORK/jvm.args-$1"
  docker run --rm --network host --entrypoint cat "$2" /app/jvm.args | grep -v -e '-XX:AOTCache=' \
    -e '-XX:SharedArchiveFile=' >"$args" || true
  chmod 644 "$args"
  V_NAME+=("$1-noarch"); V_IMAGE+=("$2"); V_ARGS+=("$args")
}
jar_present() {
  ls "$ROOT"/target/portao-*.jar >/dev/null 2>&1 && return 0
  log "building the jar (./mvnw -B -q -DskipTests package)"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
}
for b in "${!BASES[@]}"; do
  base="${BASES[$b]}"
  jar_present
  tag="portao-bench:$(echo "${base##*/}" | tr ':/' '--')"
  log "building $tag on $base (docker build, Docker's layer cache reused)"
  (cd "$ROOT" && docker build -q --build-arg BASE_IMAGE="$base" -t "$tag" . 2>"$WORK/build.log" >/dev/null) \
    || { cat "$WORK/build.log" >&2; exit 1; }
  add_variant "${base##*:}" "$tag" "${BASES_NA[$b]}"
done
for m in "${!IMAGES[@]}"; do
  spec="${IMAGES[$m]}"
  add_variant "${spec%%=*}" "${spec#*=}" "${IMAGES_NA[$m]}"
done

# --- the backend: python3's http.server on loopback, /small answers 200 ----------------------------------------------
BACKEND_A=$(free_port); BACKEND_B=$BACKEND_A
mkdir -p "$WORK/backend" "$WORK/www/static"
echo hello >"$WORK/backend/small"
echo hello >"$WORK/www/static/index.txt"
chmod -R a+rX "$WORK/www"
[ "$TLS" = 0 ] || make_tls_cert
python3 -m http.server --bind 127.0.0.1 --directory "$WORK/backend" "$BACKEND_A" >"$WORK/backend.log" 2>&1 &
PIDS+=("$!")
wait_200 "http://127.0.0.1:$BACKEND_A/small" "$!" 10 >/dev/null

# --- the starts ------------------------------------------------------------------------------------------------------
# Idle % of all CPUs over the next second, from /proc/stat (idle + iowait over the total).
idle_pct() {
  local a b
  a=$(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
  sleep 1
  b=$(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); d = y[2] - x[2]
    printf "%d\n", (d > 0 ? 100 * (y[1] - x[1]) / d : 0) }'
}
# Waits, at most IDLE_TIMEOUT s, until idle_pct >= WAIT_IDLE; prints the last idle %.
wait_idle() {
  local idle deadline=$((SECONDS + IDLE_TIMEOUT))
  idle=$(idle_pct)
  while [ "$idle" -lt "$WAIT_IDLE" ] && [ $SECONDS -lt $deadline ]; do idle=$(idle_pct); done
  echo "$idle"
}
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d\n", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }
RESULTS="$WORK/results.txt"
: >"$RESULTS"
one_start() {
  # $1 = variant index, $2 = run number; appends "name run wall_ms cpu_ms spring_s idle_before" to $RESULTS
  local i="$1" dir="$WORK/run-$1-$2" name="portao-bench-$$-$1-$2" port mgmt pid t0 t1 cpu spring jvm mounts
  local idle=-
  [ "$WAIT_IDLE" = 0 ] || idle=$(wait_idle)
  mkdir -p "$dir/config"
  chmod -R 755 "$dir"
  port=$(free_port); mgmt=$(free_port)
  write_portao_config "$dir/config/application.yml" "$port" "$mgmt"
  local scheme=http
  if [ "$TLS" = 1 ]; then
    # A second YAML document on top of the first (Boot reads both; the TLS one adds server.ssl and the bundle).
    write_portao_tls_config "$dir/tls.yml"
    { echo "---"; cat "$dir/tls.yml"; } >>"$dir/config/application.yml"
    scheme=https
  fi
  chmod 644 "$dir/config/application.yml"
  # $WORK at the same path inside: the configuration's static root (file:$WORK/www/static/) resolves there too, and
  # so do the TLS files ($WORK/tls).
  mounts=(-v "$dir/config:/config:ro" -v "$WORK/www:$WORK/www:ro")
  [ "$TLS" = 0 ] || mounts+=(-v "$WORK/tls:$WORK/tls:ro")
  [ -z "${V_ARGS[$i]}" ] || mounts+=(-v "${V_ARGS[$i]}:/app/jvm.args:ro")
  CONTAINERS+=("$name")
  t0=$(now_ms)
  # Attached, in the background: the docker client lives as long as the container, so wait_200 sees it die.
  # shellcheck disable=SC2086
  docker run --rm --name "$name" --network host "${mounts[@]}" $DOCKER_OPTS "${V_IMAGE[$i]}" >"$dir/out.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  if ! t1=$(wait_200 "$scheme://127.0.0.1:$port/small" "$pid" "$TIMEOUT"); then
    tail -30 "$dir/out.log" >&2
    exit 1
  fi
  jvm=$(docker inspect -f '{{.State.Pid}}' "$name")
  cpu=$(cpu_ms "$jvm")
  # The first 200 can come before Spring logs "Started" (the port opens inside the context refresh), and the log
  # reaches out.log through dockerd: wait for the line, at most 5 s.
  for _ in $(seq 1 50); do grep -q 'Started [A-Za-z]* in' "$dir/out.log" && break; sleep 0.1; done
  docker rm -f "$name" >/dev/null 2>&1 || true
  stop_pid "$pid"
  spring=$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds' "$dir/out.log" | sed -n 1p | awk '{print $4}' || true)
  echo "${V_NAME[$i]} $2 $(( t1 - t0 )) $cpu ${spring:-0} $idle" >>"$RESULTS"
  log "${V_NAME[$i]} #$2: $(( t1 - t0 )) ms to the first 200, CPU $cpu ms, Spring ${spring:-?} s (idle before: $idle %)"
}

# Whether the JVM maps the archive: one start per variant that logs the class-data-sharing messages and exits once
# the context is refreshed (not timed). Java 25 logs them under the aot tag (cds is then silent) and says "Using
# AOT-linked classes: true" with its AOT cache; Java 17 knows only the cds tag and maps a "dynamic region" from
# /app/portao.jsa.
archive_check() {
  # $1 = variant index, $2 = Java feature version
  local i="$1" tag=cds out
  [ "$2" -ge 25 ] && tag=aot
  out=$(timeout "$TIMEOUT" docker run --rm --network host ${V_ARGS[$i]:+-v "${V_ARGS[$i]}:/app/jvm.args:ro"} \
    -e JAVA_TOOL_OPTIONS="-Xlog:$tag=info -Dspring.context.exit=onRefresh" "${V_IMAGE[$i]}" \
    --server.port=0 --management.server.port=0 2>&1 || true)
  if grep -q 'Using AOT-linked classes: true' <<<"$out"; then echo "AOT cache"
  elif grep -q 'Mapped dynamic region' <<<"$out"; then echo "CDS archive"
  else echo "none"; fi
}
V_ARCHIVE=(); V_JAVA=()
for i in "${!V_NAME[@]}"; do
  V_JAVA[$i]=$(docker run --rm --network host --entrypoint java "${V_IMAGE[$i]}" -version 2>&1 \
    | sed -n 's/.*version "\([0-9]*\)[."].*/\1/p' | sed -n 1p)
  V_ARCHIVE[$i]=$(archive_check "$i" "${V_JAVA[$i]:-0}")
  log "${V_NAME[$i]} (${V_IMAGE[$i]}): Java ${V_JAVA[$i]}, archive used: ${V_ARCHIVE[$i]}"
done

log "$RUNS start(s) per variant, in alternation"
for r in $(seq 1 "$RUNS"); do
  for i in "${!V_NAME[@]}"; do one_start "$i" "$r"; done
done

# --- report ----------------------------------------------------------------------------------------------------------
col() { awk -v n="$1" -v f="$2" '$1==n {print $f}' "$RESULTS"; }
echo
echo "Portão image start-up — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "docker run to the first 200 through the gateway; $RUNS start(s) per variant in alternation; medians (all runs in brackets)"
[ "$WAIT_IDLE" = 0 ] || echo "each start waited (at most $IDLE_TIMEOUT s) for the CPUs to be $WAIT_IDLE % idle; idle % before the starts: $(awk '{print $6}' "$RESULTS" | tr '\n' ' ')"
printf '%-14s %-28s %-5s %-12s %10s %10s %9s\n' variant image java archive wall_ms cpu_ms spring_s
for i in "${!V_NAME[@]}"; do
  n="${V_NAME[$i]}"
  printf '%-14s %-28s %-5s %-12s %10s %10s %9s\n' "$n" "${V_IMAGE[$i]}" "${V_JAVA[$i]}" "${V_ARCHIVE[$i]}" \
    "$(col "$n" 3 | median)" "$(col "$n" 4 | median)" "$(col "$n" 5 | median)"
  printf '%-14s %-28s %-5s %-12s %10s %10s\n' "" "" "" "" "[$(col "$n" 3 | tr '\n' ' ' | sed 's/ $//')]" \
    "[$(col "$n" 4 | tr '\n' ' ' | sed 's/ $//')]"
done
cp "$RESULTS" "${STARTUP_RESULTS:-/tmp/portao-image-startup-last.txt}" 2>/dev/null || true
echo "raw results: ${STARTUP_RESULTS:-/tmp/portao-image-startup-last.txt} (variant run wall_ms cpu_ms spring_s idle_pct_before)"
