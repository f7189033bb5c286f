#!/usr/bin/env bash
# Portão against nginx, in alternation, on loopback. See docs/performance.md for the method.
#
#   bash bench/run.sh                     # full run: 25 s warm-up, 3 pairs x 10 s per case
#   bash bench/run.sh --quick             # CI smoke run: ~2 s per case, 1 pair, no thresholds
#   bash bench/run.sh --java-home /usr/lib/jvm/temurin-25-jdk-amd64
#   bash bench/run.sh --baseline-jar /tmp/portao-before.jar   # a third contestant, for before/after
#   bash bench/run.sh --image-jvm-flags --no-flags-baseline    # the image's JVM flags against none (RSS of both)
#   bash bench/run.sh --lane-off-baseline                      # the same jar again with its lanes off
#   bash bench/run.sh --cases "tls h2"                         # only the TLS cases
#
# Starts two nginx backends (6-byte and 16 KiB bodies), nginx as the reference proxy (the reference configuration
# of ../shared/reference with upstream keepalive, plus a TLS + HTTP/2 server for the TLS cases) and the Portão jar
# with the configuration contract of the README, every default on; the TLS cases go to a second Portão process
# (same jar, same flags) with TLS on. Every process is started here and stopped by its PID on exit.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=bench/tls.sh
source "$(dirname "$0")/tls.sh"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PAIRS=3
DURATION=10
WARMUP=25
CONNECTIONS=64
JAVA_HOME_ARG=""
BASELINE_JAR=""
JAR=""
PIN_WRK=""
NGINX_ACCESS_LOG=1
# Portão's JVM flags: the ones docs/performance.md recommends for a 2-core container (default), the Docker image's
# (the Dockerfile's ENTRYPOINT, with -XX:+UseTransparentHugePages when the kernel offers them; the image adds
# --sun-misc-unsafe-memory-access=allow through jvm.args on 23+, as here), none at all (java -jar, as a user starts
# it), or --jvm-opts.
RECOMMENDED_JVM_OPTS="-XX:+UseSerialGC -Xms128m -Xmx256m -XX:MaxDirectMemorySize=128m -XX:+ExitOnOutOfMemoryError"
IMAGE_JVM_OPTS="-XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
FLAGS=recommended
FLAG_OPTIONS=0
CUSTOM_JVM_OPTS=""
EXTRA_JVM_OPTS=""
BASELINE_EXTRA_JVM_OPTS=""
BASELINE_JAVA_HOME=""
BASELINE_FLAGS=""
BASELINE_ARGS=""
BASELINE_LABEL=base
BASELINE_KIND=""
# The property --lane-off-baseline passes to the baseline; LANE_OFF_ARG replaces it (e.g. to try the mechanics with
# another property on a jar that does not have this one yet). Spring ignores a property that nothing binds, so the
# jar's configuration metadata is checked for it first.
LANE_OFF_ARG="${LANE_OFF_ARG:---portao.proxy.lane.enabled=false}"
ALL_CASES="small big static latency tls h2"

usage() {
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
  cat <<'EOF'

Options:
  --quick               ~2 s per case, 1 pair, 3 s warm-up (CI)
  --pairs N             A/B pairs per case (default 3)
  --duration S          seconds per load run (default 10)
  --warmup S            seconds of load to warm each JVM before measuring (default 25: the cleartext process
                        split over small, big and static, the TLS process that much of tls and of h2 each)
  --cases "A B"         only these cases, of: small big static latency tls h2 (default: all six)
  --java-home DIR       run Portão with DIR/bin/java (default: java on PATH)
  --jar FILE            the Portão jar (default: target/portao-*.jar, built if missing)
JVM flags of Portão (one of; printed in the header):
  (default)             the recommended ones for a 2-core container (docs/performance.md)
  --image-jvm-flags     the Docker image's: -XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError
                        (+ -XX:+UseTransparentHugePages when the kernel offers them,
                        + --sun-misc-unsafe-memory-access=allow on Java 23+), without the image's CDS/AOT archive
  --no-jvm-flags        none: `java -jar portao.jar`, as a user starts it
  --jvm-opts "..."      these
  --extra-jvm-opts "..." added after the above (e.g. -XX:MaxRAM=768m to size the heap as under a 768 MiB limit)
A third contestant, alternating nginx / Portão / baseline (one of):
  --baseline-jar FILE   this jar, with Portão's JVM flags
  --no-flags-baseline   the same jar with no JVM flags, labelled "no-flags" (RSS of both in one run)
  --lane-off-baseline   the same jar with --portao.proxy.lane.enabled=false, labelled "lane-off" (refused if the
                        jar's configuration metadata lacks the property; LANE_OFF_ARG=--x=y replaces the argument)
  and for it:
  --baseline-extra-jvm-opts "..."  added to its JVM flags
  --baseline-java-home DIR  run it with DIR/bin/java (e.g. the same jar on two JDKs)
  --baseline-args "..."  program arguments (Spring properties, --name=value) for it
  --baseline-label NAME  its name in the tables (default: base)
Other:
  --pin-wrk CPU         run wrk under taskset -c CPU (default: not pinned)
  --no-nginx-access-log the reference proxy without its access_log (the reference config has one)
EOF
}

flags_option() { FLAGS="$1"; FLAG_OPTIONS=$(( FLAG_OPTIONS + 1 )); }
baseline_option() {
  [ -z "$BASELINE_KIND" ] || { echo "bench: one baseline at a time ($BASELINE_KIND and $1)" >&2; exit 2; }
  BASELINE_KIND="$1"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) PAIRS=1; DURATION=2; WARMUP=3 ;;
    --pairs) PAIRS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --java-home) JAVA_HOME_ARG="$2"; shift ;;
    --jar) JAR="$2"; shift ;;
    --jvm-opts) flags_option custom; CUSTOM_JVM_OPTS="$2"; shift ;;
    --image-jvm-flags) flags_option image ;;
    --no-jvm-flags) flags_option none ;;
    --extra-jvm-opts) EXTRA_JVM_OPTS="$2"; shift ;;
    --baseline-jar) baseline_option --baseline-jar; BASELINE_JAR="$2"; shift ;;
    --no-flags-baseline) baseline_option "$1"; BASELINE_FLAGS=none; BASELINE_LABEL=no-flags ;;
    --lane-off-baseline) baseline_option "$1"; BASELINE_ARGS="$BASELINE_ARGS $LANE_OFF_ARG"; BASELINE_LABEL=lane-off ;;
    --baseline-extra-jvm-opts) BASELINE_EXTRA_JVM_OPTS="$2"; shift ;;
    --baseline-java-home) BASELINE_JAVA_HOME="$2"; shift ;;
    --baseline-args) BASELINE_ARGS="$BASELINE_ARGS $2"; shift ;;
    --baseline-label) BASELINE_LABEL_ARG="$2"; shift ;;
    --pin-wrk) PIN_WRK="$2"; shift ;;
    --no-nginx-access-log) NGINX_ACCESS_LOG=0 ;;
    --cases) CASES_ARG="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[ "$FLAG_OPTIONS" -le 1 ] || { echo "bench: --jvm-opts, --image-jvm-flags and --no-jvm-flags exclude each other" >&2; exit 2; }
BASELINE_LABEL="${BASELINE_LABEL_ARG:-$BASELINE_LABEL}"
BASELINE_ARGS="$(echo "$BASELINE_ARGS" | sed 's/^ *//')"
case "$BASELINE_LABEL" in nginx|portao|*' '*|'') echo "bench: baseline label '$BASELINE_LABEL' not allowed" >&2; exit 2 ;; esac
if [ -z "$BASELINE_KIND" ] && [ -n "$BASELINE_ARGS$BASELINE_JAVA_HOME$BASELINE_EXTRA_JVM_OPTS" ]; then
  echo "bench: --baseline-* options need a baseline (--baseline-jar, --no-flags-baseline or --lane-off-baseline)" >&2
  exit 2
fi
CASES="${CASES_ARG:-$ALL_CASES}"
for k in $CASES; do
  case " $ALL_CASES " in *" $k "*) ;; *) echo "bench: unknown case '$k' (expected: $ALL_CASES)" >&2; exit 2 ;; esac
done
has_case() { case " $CASES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
is_tls_case() { [ "$1" = tls ] || [ "$1" = h2 ]; }

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- prerequisites -----------------------------------------------------------------------------------------
apt_install() {
  log "installing $* from Debian"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt-get may be running (CI images, shared machines): wait for the lock instead of failing.
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >/dev/null
}
command -v wrk >/dev/null 2>&1 || apt_install wrk
if [ ! -x /usr/sbin/nginx ]; then
  apt_install nginx-light
  # The package starts its own service on port 80; the benchmark uses its own instances only.
  service nginx stop >/dev/null 2>&1 || true
fi
command -v curl >/dev/null 2>&1 || apt_install curl
SKIPPED=""
if has_case h2 && ! why=$(ensure_h2load); then
  # Asked for by name: fail. Part of the default list: the other cases still run, and the report says why not h2.
  if [ -n "${CASES_ARG:-}" ]; then echo "bench: case h2: $why" >&2; exit 1; fi
  log "skipping the h2 case: $why"
  SKIPPED="h2 skipped: $why"
  CASES="$(echo " $CASES " | sed 's/ h2 / /; s/^ *//; s/ *$//')"
fi
NEED_PLAIN=0; NEED_TLS=0
for k in $CASES; do if is_tls_case "$k"; then NEED_TLS=1; else NEED_PLAIN=1; fi; done
if [ "$NEED_TLS" = 1 ]; then command -v openssl >/dev/null 2>&1 || apt_install openssl; fi
NGINX=/usr/sbin/nginx
JAVA=java
[ -n "$JAVA_HOME_ARG" ] && JAVA="$JAVA_HOME_ARG/bin/java"
"$JAVA" -version >/dev/null 2>&1 || { echo "no java at $JAVA" >&2; exit 1; }
BASE_JAVA="$JAVA"
[ -n "$BASELINE_JAVA_HOME" ] && BASE_JAVA="$BASELINE_JAVA_HOME/bin/java"

# The JVM flags of a flag set for one java. Java 23+ restricts sun.misc.Unsafe's memory access (JEP 471/498), and
# Netty then copies bodies without it: on Java 25 the 16 KiB case took twice the CPU per request
# (docs/performance.md). Part of the recommended flags and of the image's (its jvm.args), not of "none".
jvm_opts() {
  # $1 = recommended | image | none | custom, $2 = java
  case "$1" in
    recommended) echo "$RECOMMENDED_JVM_OPTS $(unsafe_memory_access_flag "$2")" ;;
    image) echo "$IMAGE_JVM_OPTS $(transparent_huge_pages_flag) $(unsafe_memory_access_flag "$2")" ;;
    none) echo "" ;;
    custom) echo "$CUSTOM_JVM_OPTS" ;;
  esac
}
flags_name() {
  case "$1" in
    recommended) echo "the recommended ones (docs/performance.md)" ;;
    image) echo "the Docker image's (Dockerfile ENTRYPOINT + jvm.args' Unsafe flag; no CDS/AOT archive)" ;;
    none) echo "none (java -jar portao.jar, as a user starts it)" ;;
    custom) echo "--jvm-opts" ;;
  esac
}
JVM_OPTS="$(jvm_opts "$FLAGS" "$JAVA" | sed 's/ *$//')"
BASELINE_FLAGS="${BASELINE_FLAGS:-$FLAGS}"
BASELINE_JVM_OPTS="$(jvm_opts "$BASELINE_FLAGS" "$BASE_JAVA" | sed 's/ *$//')"

if [ -z "$JAR" ]; then
  JAR="$(ls "$ROOT"/target/portao-*.jar 2>/dev/null | grep -v -- '-plain' | sed -n 1p || true)"
  if [ -z "$JAR" ]; then
    log "building the jar (./mvnw -B -q -DskipTests package)"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
    JAR="$(ls "$ROOT"/target/portao-*.jar | grep -v -- '-plain' | sed -n 1p)"
  fi
fi
# --no-flags-baseline and --lane-off-baseline: the same jar a second time.
[ -n "$BASELINE_KIND" ] && [ -z "$BASELINE_JAR" ] && BASELINE_JAR="$JAR"
if [ "$BASELINE_KIND" = --lane-off-baseline ]; then
  command -v unzip >/dev/null 2>&1 || apt_install unzip
  prop="$(echo "$LANE_OFF_ARG" | sed 's/^--//; s/=.*//')"
  jar_knows_property "$BASELINE_JAR" "$prop" || {
    echo "bench: $BASELINE_JAR does not have $prop (not in its configuration metadata): Spring would ignore" \
      "$LANE_OFF_ARG and the lane-off baseline would be Portão itself" >&2
    exit 2
  }
fi

# --- processes, stopped by PID ---------------------------------------------------------------------------
WORK="$(mktemp -d /tmp/portao-bench.XXXXXX)"
# nginx workers run as an unprivileged user when started by root: they must be able to read the files.
chmod 755 "$WORK"
PIDS=()
SAMPLER_PID=""

cleanup() {
  local pid
  [ -n "$SAMPLER_PID" ] && stop_pid "$SAMPLER_PID"
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- files -------------------------------------------------------------------------------------------------
mkdir -p "$WORK/www/static" "$WORK/backend-www"
# 12,288 random bytes are exactly 16,384 base64 characters. No "| head" after a producer anywhere in this script:
# under pipefail, a head that exits first kills the producer with SIGPIPE and the script with exit 141.
head -c 12288 /dev/urandom | base64 -w 0 > "$WORK/www/static/big.txt"
cp "$WORK/www/static/big.txt" "$WORK/backend-www/big.txt"
chmod -R a+rX "$WORK/www" "$WORK/backend-www"
[ "$NEED_TLS" = 1 ] && make_tls_cert

nginx_common() {
  # $1 = prefix dir
  cat <<EOF
daemon off;
worker_processes 1;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 1024; use epoll; }
EOF
}
nginx_temp_paths() {
  cat <<EOF
  client_body_temp_path $1/body;
  proxy_temp_path $1/proxy;
  fastcgi_temp_path $1/fastcgi;
  uwsgi_temp_path $1/uwsgi;
  scgi_temp_path $1/scgi;
EOF
}

start_nginx() {
  # $1 = name; the config is in $WORK/$1/nginx.conf
  local prefix="$WORK/$1"
  "$NGINX" -p "$prefix" -e "$prefix/error.log" -c "$prefix/nginx.conf" >"$prefix/stdout.log" 2>&1 &
  PIDS+=("$!")
  eval "PID_$1=$!"
}

BACKEND_A=$(free_port); BACKEND_B=$(free_port); NGINX_PORT=$(free_port); NGINX_TLS_PORT=$(free_port)

for b in A B; do
  name="backend$b"; port=$([ $b = A ] && echo "$BACKEND_A" || echo "$BACKEND_B")
  mkdir -p "$WORK/$name"
  { nginx_common "$WORK/$name"
    cat <<EOF
http {
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
$(nginx_temp_paths "$WORK/$name")
  server {
    listen 127.0.0.1:$port;
    root $WORK/backend-www;
    location = /small { return 200 "hello\n"; }
  }
}
EOF
  } > "$WORK/$name/nginx.conf"
  start_nginx "$name"
done

# The reference proxy: ../shared/reference/nginx.conf + conf.d/bapi.conf, with ports, paths and one worker (the
# machine has 2 cores shared with wrk and the backends), plus what a fair nginx proxy setup has: upstream
# keepalive, HTTP/1.1 to the upstream and an empty Connection header. The TLS server (bench/tls.sh) has the same
# locations; keepalive_requests is raised from its default of 1000 so that no client connection is closed mid-run.
mkdir -p "$WORK/nginx"
if [ "$NGINX_ACCESS_LOG" = 1 ]; then ACCESS_LOG="access_log $WORK/nginx/access.log main;"; else ACCESS_LOG="access_log off;"; fi
LOCATIONS=$(cat <<EOF
    location /static/ {
      root $WORK/www;
      if (\$query_string) { expires max; }
    }
    location / {
      proxy_pass_header Server;
      proxy_set_header Host \$http_host;
      proxy_redirect off;
      proxy_set_header X-Real-IP \$remote_addr;
      proxy_set_header X-Scheme \$scheme;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass http://bapis;
    }
EOF
)
{ nginx_common "$WORK/nginx"
  cat <<EOF
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  log_format main '\$remote_addr - \$remote_user [\$time_local] "\$request" '
                  '\$status \$body_bytes_sent "\$http_referer" '
                  '"\$http_user_agent" "\$http_x_forwarded_for"';
  $ACCESS_LOG
  sendfile on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
$(nginx_temp_paths "$WORK/nginx")
  proxy_next_upstream error;
  upstream bapis {
    server 127.0.0.1:$BACKEND_A;
    server 127.0.0.1:$BACKEND_B;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
$LOCATIONS
  }
$([ "$NEED_TLS" = 1 ] && nginx_tls_server "$NGINX_TLS_PORT" "$LOCATIONS")
}
EOF
} > "$WORK/nginx/nginx.conf"
start_nginx nginx

start_portao() {
  # $1 = name, $2 = jar, $3 = java, $4 = JVM options, $5 = program arguments, $6 = 1 for TLS;
  # sets PORT_<name>, PID_<name>, STARTUP_<name>, STARTUP_CPU_<name>, SPRING_<name>, JAVA_<name>
  local name="$1" jar="$2" java="$3" opts="$4" args="$5" tls="$6"
  local dir="$WORK/$1" t0 t1 pid port mgmt attempt scheme=http conf
  mkdir -p "$dir"
  conf="file:$dir/application.yml"
  if [ "$tls" = 1 ]; then
    scheme=https; conf="$conf,file:$dir/tls.yml"
    write_portao_tls_config "$dir/tls.yml"
  fi
  log "starting $name: $(echo "$java $opts -jar $jar --spring.config.additional-location=$conf $args" | tr -s ' ')"
  for attempt in 1 2 3; do
    port=$(free_port); mgmt=$(free_port)
    write_portao_config "$dir/application.yml" "$port" "$mgmt"
    t0=$(now_ms)
    # shellcheck disable=SC2086
    "$java" $opts -jar "$jar" --spring.config.additional-location="$conf" $args >"$dir/out.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    if t1=$(wait_200 "$scheme://127.0.0.1:$port/small" "$pid" 180); then
      # The JVM's CPU time (every thread, user + system) at the first 200: steadier than wall time on a shared
      # machine (bench/startup.sh measures start-up alone, N times).
      eval "PID_$name=$pid; PORT_$name=$port; JAVA_$name=\"$java\"; STARTUP_$name=$(( t1 - t0 )); STARTUP_CPU_$name=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$pid/stat")"
      eval "SPRING_$name=\"$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds' "$dir/out.log" | sed -n 1p | awk '{print $4}')\""
      return 0
    fi
    stop_pid "$pid"
    # Another process took a port between the check and the bind: try other ports.
    grep -q 'already in use' "$dir/out.log" && { log "$name: port taken, retrying ($attempt)"; continue; }
    break
  done
  tail -50 "$dir/out.log" >&2
  exit 1
}

wait_200 "http://127.0.0.1:$BACKEND_A/small" "$PID_backendA" 10 >/dev/null
wait_200 "http://127.0.0.1:$BACKEND_B/small" "$PID_backendB" 10 >/dev/null
wait_200 "http://127.0.0.1:$NGINX_PORT/static/big.txt" "$PID_nginx" 10 >/dev/null
PORT_nginx=$NGINX_PORT
PID_nginx_tls=$PID_nginx; PORT_nginx_tls=$NGINX_TLS_PORT
[ "$NEED_TLS" = 1 ] && wait_200 "https://127.0.0.1:$NGINX_TLS_PORT/static/big.txt" "$PID_nginx" 10 >/dev/null

# Contestants (nginx, portao, base) and the processes that serve them: <contestant> for the cleartext cases,
# <contestant>_tls for the TLS ones (nginx: the same process on its second port).
CONTESTANTS="nginx portao"
[ -n "$BASELINE_JAR" ] && CONTESTANTS="nginx portao base"
label() { case "$1" in base) echo "$BASELINE_LABEL" ;; *) echo "$1" ;; esac; }
inst() { if is_tls_case "$2"; then echo "${1}_tls"; else echo "$1"; fi; }
JVMS=""
for c in $CONTESTANTS; do
  [ "$c" = nginx ] && continue
  [ "$NEED_PLAIN" = 1 ] && JVMS="$JVMS $c"
  [ "$NEED_TLS" = 1 ] && JVMS="$JVMS ${c}_tls"
done
for i in $JVMS; do
  case "$i" in
    portao*) start_portao "$i" "$JAR" "$JAVA" "$JVM_OPTS $EXTRA_JVM_OPTS" "" "$([ "${i%_tls}" != "$i" ] && echo 1 || echo 0)" ;;
    base*) start_portao "$i" "$BASELINE_JAR" "$BASE_JAVA" "$BASELINE_JVM_OPTS $BASELINE_EXTRA_JVM_OPTS" "$BASELINE_ARGS" \
             "$([ "${i%_tls}" != "$i" ] && echo 1 || echo 0)" ;;
  esac
done

# The responses must be what the case claims before anything is measured.
for c in $CONTESTANTS; do
  if [ "$NEED_PLAIN" = 1 ]; then
    port=$(eval echo "\$PORT_$c")
    [ "$(curl -s "http://127.0.0.1:$port/small")" = hello ] || { echo "$c: /small is not hello" >&2; exit 1; }
    cmp -s <(curl -s "http://127.0.0.1:$port/big.txt") "$WORK/www/static/big.txt" || { echo "$c: /big.txt differs" >&2; exit 1; }
    cmp -s <(curl -s "http://127.0.0.1:$port/static/big.txt") "$WORK/www/static/big.txt" || { echo "$c: static differs" >&2; exit 1; }
  fi
  if [ "$NEED_TLS" = 1 ]; then
    session=$(check_tls_responses "$c" "$(eval echo "\$PORT_${c}_tls")") || exit 1
    eval "TLS_SESSION_$c=\"$session\""
  fi
done

# Which transport Reactor Netty picked (epoll, io_uring or nio), from the event-loop thread names.
for i in $JVMS; do
  java=$(eval echo "\$JAVA_$i"); jc=jcmd
  case "$java" in */*) jc="$(dirname "$java")/jcmd" ;; esac
  loops=$("$jc" "$(eval echo "\$PID_$i")" Thread.print 2>/dev/null | grep -o '"reactor-http-[a-z_]*-' | sort -u | tr -d '"' | tr '\n' ' ' || true)
  eval "LOOPS_$i=\"${loops:-unknown}\""
done

# --- load --------------------------------------------------------------------------------------------------
WRK=(wrk)
[ -n "$PIN_WRK" ] && WRK=(taskset -c "$PIN_WRK" wrk)

# RSS of the JVMs, sampled every 0.5 s, to $WORK/rss-<name>.txt (kB).
sample_rss() {
  while true; do
    for i in $JVMS; do
      awk '/VmRSS/ {print $2}' "/proc/$(eval echo "\$PID_$i")/status" >>"$WORK/rss-$i.txt" 2>/dev/null
    done
    sleep 0.5
  done
}

case_path() { case "$1" in small|latency|tls|h2) echo /small ;; big) echo /big.txt ;; static) echo /static/big.txt ;; esac; }
case_conns() { [ "$1" = latency ] && echo 1 || echo "$CONNECTIONS"; }
case_scheme() { if is_tls_case "$1"; then echo https; else echo http; fi; }

CLK_TCK=$(getconf CLK_TCK)

run_case() {
  # $1 = contestant, $2 = case, $3 = seconds; prints the parsed line + CPU us/request, keeps the raw output. Every
  # client run is bounded by its duration and, should a proxy stop answering, by timeout.
  local i port pid out c0 c1 d url line
  i=$(inst "$1" "$2")
  port=$(eval echo "\$PORT_$i")
  pid=$(eval echo "\$PID_$i")
  url="$(case_scheme "$2")://127.0.0.1:$port$(case_path "$2")"
  out="$WORK/load-$1-$2-$(date +%s%N)"
  if [ "$2" = h2 ]; then
    d=$(run_h2load "$pid" "$url" "$3" "$out")
    [ "$(h2load_protocol "$out.txt")" = h2 ] || log "WARNING: h2load did not use h2 with $1: $(h2load_protocol "$out.txt")"
    line=$(parse_h2load "$out.log" "$3")
    [ "${KEEP_WORK:-0}" = 1 ] || rm -f "$out.log"
  else
    c0=$(cpu_ticks "$pid")
    timeout -k 5 $(( $3 + 60 )) "${WRK[@]}" -t1 -c"$(case_conns "$2")" -d"${3}s" --latency "$url" >"$out.txt" 2>&1 || true
    c1=$(cpu_ticks "$pid")
    d=$(( c1 - c0 ))
    line=$(parse_wrk <"$out.txt")
  fi
  echo "$line" | awk -v d="$d" -v hz="$CLK_TCK" '{ printf "%s %.0f\n", $0, ($5 > 0 ? d * 1e6 / hz / $5 : 0) }'
}

# Warm-up: the cleartext JVM gets --warmup seconds of load split over small, big and static (as in every earlier
# round), the TLS JVM --warmup seconds of each TLS case: on a busy 2-core machine its CPU per request still fell
# until about 45 s of load (JIT of the JDK's TLS and of the HTTP/2 codec). nginx gets 2 s of each kind.
# The TLS cases are interleaved in four rounds (HTTP/1.1 then HTTP/2, a quarter of the time each): a gateway serves
# both at once, and a warm-up of all of one case then all of the other left code compiled for the last one, so the
# first measured pair of the other paid for its recompilation (fifteenth round: CPU per request 72, 64, 61 µs and
# p99 33.7, 12.9, 9.8 ms over the three HTTP/1.1 pairs that followed 60 s of HTTP/2).
TLS_WARM="tls"; command -v h2load >/dev/null 2>&1 && TLS_WARM="tls h2"
log "warming up: ${WARMUP}s of load on each Portão process (of each case on a TLS one), a short run on nginx"
for c in $CONTESTANTS; do
  if [ "$c" = nginx ]; then secs=2; else secs=$WARMUP; fi
  if [ "$NEED_PLAIN" = 1 ]; then
    per=$(( secs / 3 )); [ "$per" -lt 1 ] && per=1
    for k in small big static; do run_case "$c" "$k" "$per" >/dev/null; done
  fi
  if [ "$NEED_TLS" = 1 ]; then
    if [ "$c" = nginx ]; then rounds=1; else rounds=4; fi
    per=$(( secs / rounds )); [ "$per" -lt 1 ] && per=1
    for r in $(seq 1 "$rounds"); do
      for k in $TLS_WARM; do run_case "$c" "$k" "$per" >/dev/null; done
    done
  fi
done

sample_rss &
SAMPLER_PID=$!

RESULTS="$WORK/results.txt"
: >"$RESULTS"
for k in $CASES; do
  for p in $(seq 1 "$PAIRS"); do
    for c in $CONTESTANTS; do
      line=$(run_case "$c" "$k" "$DURATION")
      echo "$k $(label "$c") $p $line" >>"$RESULTS"
      log "$k pair $p $(label "$c"): $line (rps p50 p99 errors requests cpu_us/req)"
    done
  done
done
stop_pid "$SAMPLER_PID"; SAMPLER_PID=""

# --- report ------------------------------------------------------------------------------------------------
col() { awk -v k="$1" -v c="$(label "$2")" -v f="$3" '$1==k && $2==c {print $f}' "$RESULTS"; }
jvm_label() { case "$1" in *_tls) echo "$(label "${1%_tls}") (TLS)" ;; *) label "$1" ;; esac; }

echo
echo "Portão vs nginx — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $("$JAVA" -version 2>&1 | sed -n 1p)"
echo "wrk -t1 -c$CONNECTIONS (latency: -c1) -d${DURATION}s$(has_case h2 && echo "; h2: h2load -c16 -m10 --warm-up-time=$H2LOAD_WARMUP -D $DURATION (CPU over -D only)"), $PAIRS pair(s) in alternation, medians; warm-up ${WARMUP}s"
echo "Portão JVM flags: $(flags_name "$FLAGS")${JVM_OPTS:+: $JVM_OPTS}${EXTRA_JVM_OPTS:+ + $EXTRA_JVM_OPTS}"
if [ -n "$BASELINE_JAR" ]; then
  echo "baseline \"$BASELINE_LABEL\": $BASELINE_JAR$([ "$BASELINE_JAR" = "$JAR" ] && echo " (the same jar)") on $("$BASE_JAVA" -version 2>&1 | sed -n 1p)"
  echo "  its JVM flags: $(flags_name "$BASELINE_FLAGS")${BASELINE_JVM_OPTS:+: $BASELINE_JVM_OPTS}${BASELINE_EXTRA_JVM_OPTS:+ + $BASELINE_EXTRA_JVM_OPTS}; program arguments: ${BASELINE_ARGS:-none}"
fi
if [ "$NEED_TLS" = 1 ]; then
  printf 'TLS cases: self-signed RSA 2048, a second Portão process (same jar and flags) with TLS; negotiated:'
  for c in $CONTESTANTS; do printf ' %s %s;' "$(label "$c")" "$(eval echo "\$TLS_SESSION_$c")"; done
  echo
fi
[ -n "$SKIPPED" ] && echo "$SKIPPED"
printf '%-8s %-9s %10s %9s %9s %7s %11s\n' case proxy rps p50_ms p99_ms errors cpu_us/req
for k in $CASES; do
  for c in $CONTESTANTS; do
    printf '%-8s %-9s %10.0f %9.2f %9.2f %7d %11.0f\n' "$k" "$(label "$c")" \
      "$(col "$k" "$c" 4 | median)" "$(col "$k" "$c" 5 | median)" "$(col "$k" "$c" 6 | median)" \
      "$(col "$k" "$c" 7 | awk '{s+=$1} END {print s+0}')" "$(col "$k" "$c" 9 | median)"
  done
done
echo
printf '%-8s %-18s %9s %9s %9s\n' case vs rps_ratio p99_ratio cpu_ratio
for k in $CASES; do
  for c in $CONTESTANTS; do
    [ "$c" = nginx ] && continue
    for ref in nginx $( [ "$c" = portao ] && [ -n "$BASELINE_JAR" ] && echo base ); do
      awk -v k="$k" -v who="$(label "$c")/$(label "$ref")" \
        -v a="$(col "$k" "$c" 4 | median)" -v b="$(col "$k" "$ref" 4 | median)" \
        -v pa="$(col "$k" "$c" 6 | median)" -v pb="$(col "$k" "$ref" 6 | median)" \
        -v ca="$(col "$k" "$c" 9 | median)" -v cb="$(col "$k" "$ref" 9 | median)" \
        'BEGIN { printf "%-8s %-18s %9.2f %9.2f %9.2f\n", k, who, (b>0?a/b:0), (pb>0?pa/pb:0), (cb>0?ca/cb:0) }'
    done
  done
done
echo
for i in $JVMS; do
  pid=$(eval echo "\$PID_$i")
  load_rss=$( (cat "$WORK/rss-$i.txt" 2>/dev/null || echo 0) | sort -n | tail -n1)
  peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  printf '%s: startup %s ms to first 200 (CPU %s ms; Spring: Started in %s s); RSS under load max %d MiB, peak (VmHWM) %d MiB; event loops %s\n' \
    "$(jvm_label "$i")" "$(eval echo "\$STARTUP_$i")" "$(eval echo "\$STARTUP_CPU_$i")" "$(eval echo "\${SPRING_$i:-?}")" \
    $(( ${load_rss:-0} / 1024 )) $(( ${peak:-0} / 1024 )) "$(eval echo "\$LOOPS_$i")"
done
cp "$RESULTS" "${BENCH_RESULTS:-/tmp/portao-bench-last.txt}" 2>/dev/null || true
echo "raw results: ${BENCH_RESULTS:-/tmp/portao-bench-last.txt} (case proxy pair rps p50 p99 errors requests cpu_us/req)"
