#!/usr/bin/env bash
# Portão against nginx, in alternation, on loopback. See docs/performance.md for the method.
#
#   bash bench/run.sh                     # full run: 25 s warm-up, 3 pairs x 10 s per case
#   bash bench/run.sh --quick             # CI smoke run: ~2 s per case, 1 pair, no thresholds
#   bash bench/run.sh --java-home /usr/lib/jvm/temurin-25-jdk-amd64
#   bash bench/run.sh --baseline-jar /tmp/portao-before.jar   # a third contestant, for before/after
#
# Starts two nginx backends (6-byte and 16 KiB bodies), nginx as the reference proxy (the reference
# configuration of ../shared/reference with upstream keepalive) and the Portão jar with the configuration
# contract of the README, every default on. Every process is started here and stopped by its PID on exit.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
QUICK=0
PAIRS=3
DURATION=10
WARMUP=25
CONNECTIONS=64
JAVA_HOME_ARG=""
BASELINE_JAR=""
JAR=""
PIN_WRK=""
NGINX_ACCESS_LOG=1
# The flags docs/performance.md recommends for a 2-core container; --jvm-opts replaces them.
JVM_OPTS="-XX:+UseSerialGC -Xms128m -Xmx256m -XX:MaxDirectMemorySize=128m -XX:+ExitOnOutOfMemoryError"
JVM_OPTS_GIVEN=0
EXTRA_JVM_OPTS=""
BASELINE_EXTRA_JVM_OPTS=""
BASELINE_JAVA_HOME=""

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  cat <<'EOF'
Options:
  --quick               ~2 s per case, 1 pair, 3 s warm-up (CI)
  --pairs N             A/B pairs per case (default 3)
  --duration S          seconds per wrk run (default 10)
  --warmup S            seconds of load to warm the JVM before measuring (default 25)
  --java-home DIR       run Portão with DIR/bin/java (default: java on PATH)
  --jar FILE            the Portão jar (default: target/portao-*.jar, built if missing)
  --baseline-jar FILE   also run this jar, alternating nginx / Portão / baseline
  --jvm-opts "..."      JVM flags for Portão (default: the recommended ones, printed in the header)
  --extra-jvm-opts "..." added after --jvm-opts for Portão (e.g. -XX:StartFlightRecording=..., -Dprop=value)
  --baseline-extra-jvm-opts "..." the same for the baseline jar
  --baseline-java-home DIR  run the baseline with DIR/bin/java (e.g. the same jar on two JDKs)
  --pin-wrk CPU         run wrk under taskset -c CPU (default: not pinned)
  --no-nginx-access-log the reference proxy without its access_log (the reference config has one)
  --cases "A B"         only these cases, of: small big static latency (default: all four)
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; PAIRS=1; DURATION=2; WARMUP=3 ;;
    --pairs) PAIRS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --java-home) JAVA_HOME_ARG="$2"; shift ;;
    --jar) JAR="$2"; shift ;;
    --baseline-jar) BASELINE_JAR="$2"; shift ;;
    --jvm-opts) JVM_OPTS="$2"; JVM_OPTS_GIVEN=1; shift ;;
    --extra-jvm-opts) EXTRA_JVM_OPTS="$2"; shift ;;
    --baseline-extra-jvm-opts) BASELINE_EXTRA_JVM_OPTS="$2"; shift ;;
    --baseline-java-home) BASELINE_JAVA_HOME="$2"; shift ;;
    --pin-wrk) PIN_WRK="$2"; shift ;;
    --no-nginx-access-log) NGINX_ACCESS_LOG=0 ;;
    --cases) CASES_ARG="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
CASES="${CASES_ARG:-small big static latency}"
for k in $CASES; do
  case "$k" in small|big|static|latency) ;; *) echo "bench: unknown case '$k' (expected: small big static latency)" >&2; exit 2 ;; esac
done

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
NGINX=/usr/sbin/nginx
JAVA=java
[ -n "$JAVA_HOME_ARG" ] && JAVA="$JAVA_HOME_ARG/bin/java"
# Java 23+ restricts sun.misc.Unsafe's memory access (JEP 471/498), and Netty then copies bodies without it: on
# Java 25 the 16 KiB case took twice the CPU per request (docs/performance.md). Part of the recommended flags.
if [ "$JVM_OPTS_GIVEN" = 0 ]; then JVM_OPTS="$JVM_OPTS $(unsafe_memory_access_flag "$JAVA")"; fi
"$JAVA" -version >/dev/null 2>&1 || { echo "no java at $JAVA" >&2; exit 1; }

if [ -z "$JAR" ]; then
  JAR="$(ls "$ROOT"/target/portao-*.jar 2>/dev/null | grep -v -- '-plain' | sed -n 1p || true)"
  if [ -z "$JAR" ]; then
    log "building the jar (./mvnw -B -q -DskipTests package)"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
    JAR="$(ls "$ROOT"/target/portao-*.jar | grep -v -- '-plain' | sed -n 1p)"
  fi
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

BACKEND_A=$(free_port); BACKEND_B=$(free_port); NGINX_PORT=$(free_port)

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
# keepalive, HTTP/1.1 to the upstream and an empty Connection header.
mkdir -p "$WORK/nginx"
if [ "$NGINX_ACCESS_LOG" = 1 ]; then ACCESS_LOG="access_log $WORK/nginx/access.log main;"; else ACCESS_LOG="access_log off;"; fi
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
  }
}
EOF
} > "$WORK/nginx/nginx.conf"
start_nginx nginx



start_portao() {
  # $1 = name, $2 = jar, $3 = extra JVM options, $4 = java; sets PORT_<name>, PID_<name>, STARTUP_<name>
  local dir="$WORK/$1" t0 t1 pid port mgmt attempt java="${4:-$JAVA}"
  mkdir -p "$dir"
  for attempt in 1 2 3; do
    port=$(free_port); mgmt=$(free_port)
    write_portao_config "$dir/application.yml" "$port" "$mgmt"
    t0=$(now_ms)
    # shellcheck disable=SC2086
    "$java" $JVM_OPTS $3 -jar "$2" \
      --spring.config.additional-location="file:$dir/application.yml" >"$dir/out.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    if t1=$(wait_200 "http://127.0.0.1:$port/small" "$pid" 180); then
      # The JVM's CPU time (every thread, user + system) at the first 200: steadier than wall time on a shared
      # machine (bench/startup.sh measures start-up alone, N times).
      eval "PID_$1=$pid; PORT_$1=$port; STARTUP_$1=$(( t1 - t0 )); STARTUP_CPU_$1=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$pid/stat")"
      eval "SPRING_$1=\"$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds' "$dir/out.log" | sed -n 1p | awk '{print $4}')\""
      return 0
    fi
    stop_pid "$pid"
    # Another process took a port between the check and the bind: try other ports.
    grep -q 'already in use' "$dir/out.log" && { log "$1: port taken, retrying ($attempt)"; continue; }
    break
  done
  tail -50 "$dir/out.log" >&2
  exit 1
}

wait_200 "http://127.0.0.1:$BACKEND_A/small" "$PID_backendA" 10 >/dev/null
wait_200 "http://127.0.0.1:$BACKEND_B/small" "$PID_backendB" 10 >/dev/null
wait_200 "http://127.0.0.1:$NGINX_PORT/static/big.txt" "$PID_nginx" 10 >/dev/null

log "starting Portão: $JAVA $JVM_OPTS $EXTRA_JVM_OPTS -jar $JAR"
start_portao portao "$JAR" "$EXTRA_JVM_OPTS"
CONTESTANTS="nginx portao"
PORT_nginx=$NGINX_PORT
if [ -n "$BASELINE_JAR" ]; then
  log "starting the baseline: $BASELINE_JAR $BASELINE_EXTRA_JVM_OPTS"
  BASE_JAVA="$JAVA"
  [ -n "$BASELINE_JAVA_HOME" ] && BASE_JAVA="$BASELINE_JAVA_HOME/bin/java"
  start_portao base "$BASELINE_JAR" "$BASELINE_EXTRA_JVM_OPTS" "$BASE_JAVA"
  CONTESTANTS="nginx portao base"
fi

# The responses must be what the case claims before anything is measured.
for c in $CONTESTANTS; do
  port=$(eval echo "\$PORT_$c")
  [ "$(curl -s "http://127.0.0.1:$port/small")" = hello ] || { echo "$c: /small is not hello" >&2; exit 1; }
  cmp -s <(curl -s "http://127.0.0.1:$port/big.txt") "$WORK/www/static/big.txt" || { echo "$c: /big.txt differs" >&2; exit 1; }
  cmp -s <(curl -s "http://127.0.0.1:$port/static/big.txt") "$WORK/www/static/big.txt" || { echo "$c: static differs" >&2; exit 1; }
done

# Which transport Reactor Netty picked (epoll, io_uring or nio), from the event-loop thread names.
JCMD=jcmd
[ -n "$JAVA_HOME_ARG" ] && JCMD="$JAVA_HOME_ARG/bin/jcmd"
for c in $CONTESTANTS; do
  [ "$c" = nginx ] && continue
  pid=$(eval echo "\$PID_$c")
  jc="$JCMD"; [ "$c" = base ] && [ -n "$BASELINE_JAVA_HOME" ] && jc="$BASELINE_JAVA_HOME/bin/jcmd"
  loops=$("$jc" "$pid" Thread.print 2>/dev/null | grep -o '"reactor-http-[a-z_]*-' | sort -u | tr -d '"' | tr '\n' ' ' || true)
  eval "LOOPS_$c=\"${loops:-unknown}\""
done

# --- load --------------------------------------------------------------------------------------------------
WRK=(wrk)
[ -n "$PIN_WRK" ] && WRK=(taskset -c "$PIN_WRK" wrk)

# RSS of the JVMs, sampled every 0.5 s, to $WORK/rss-<name>.txt (kB).
sample_rss() {
  while true; do
    for c in portao base; do
      pid=$(eval echo "\${PID_$c:-}")
      [ -n "$pid" ] && awk '/VmRSS/ {print $2}' "/proc/$pid/status" >>"$WORK/rss-$c.txt" 2>/dev/null
    done
    sleep 0.5
  done
}

# wrk output -> "rps p50_ms p99_ms errors requests"
parse_wrk() {
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec:/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { err += $NF }
    /Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
    / requests in / { req = $1 }
    END { printf "%.0f %.3f %.3f %d %d\n", rps, p50, p99, err + 0, req }'
}

case_path() { case "$1" in small|latency) echo /small ;; big) echo /big.txt ;; static) echo /static/big.txt ;; esac; }
case_conns() { [ "$1" = latency ] && echo 1 || echo "$CONNECTIONS"; }

# CPU time (clock ticks) of a process and its children (nginx's worker), to give CPU per request: the figure
# that carries to other machines better than requests per second on a shared one.
cpu_ticks() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
CLK_TCK=$(getconf CLK_TCK)

run_wrk() {
  # $1 = contestant, $2 = case, $3 = seconds; prints the parsed line + CPU us/request, keeps the raw output
  local port out pid c0 c1
  port=$(eval echo "\$PORT_$1")
  pid=$(eval echo "\$PID_$1")
  out="$WORK/wrk-$1-$2-$(date +%s%N).txt"
  c0=$(cpu_ticks "$pid")
  "${WRK[@]}" -t1 -c"$(case_conns "$2")" -d"${3}s" --latency "http://127.0.0.1:$port$(case_path "$2")" >"$out" 2>&1
  c1=$(cpu_ticks "$pid")
  parse_wrk <"$out" | awk -v d=$(( c1 - c0 )) -v hz="$CLK_TCK" '{ printf "%s %.0f\n", $0, ($5 > 0 ? d * 1e6 / hz / $5 : 0) }'
}

log "warming up: ${WARMUP}s of load on each Portão, a short run on nginx"
for c in $CONTESTANTS; do
  if [ "$c" = nginx ]; then secs=2; else secs=$WARMUP; fi
  per=$(( secs / 3 )); [ "$per" -lt 1 ] && per=1
  for k in small big static; do run_wrk "$c" "$k" "$per" >/dev/null; done
done

sample_rss &
SAMPLER_PID=$!

RESULTS="$WORK/results.txt"
: >"$RESULTS"
for k in $CASES; do
  for p in $(seq 1 "$PAIRS"); do
    for c in $CONTESTANTS; do
      line=$(run_wrk "$c" "$k" "$DURATION")
      echo "$k $c $p $line" >>"$RESULTS"
      log "$k pair $p $c: $line (rps p50 p99 errors requests cpu_us/req)"
    done
  done
done
stop_pid "$SAMPLER_PID"; SAMPLER_PID=""

# --- report ------------------------------------------------------------------------------------------------
col() { awk -v k="$1" -v c="$2" -v f="$3" '$1==k && $2==c {print $f}' "$RESULTS"; }

echo
echo "Portão vs nginx — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $("$JAVA" -version 2>&1 | sed -n 1p)"
echo "wrk -t1 -c$CONNECTIONS (latency: -c1) -d${DURATION}s, $PAIRS pair(s) in alternation, medians; warm-up ${WARMUP}s"
echo "Portão JVM flags: $JVM_OPTS $EXTRA_JVM_OPTS"
[ -n "$BASELINE_JAR" ] && echo "baseline: $BASELINE_JAR $BASELINE_EXTRA_JVM_OPTS on $("$BASE_JAVA" -version 2>&1 | sed -n 1p)"
printf '%-8s %-7s %10s %9s %9s %7s %11s\n' case proxy rps p50_ms p99_ms errors cpu_us/req
for k in $CASES; do
  for c in $CONTESTANTS; do
    printf '%-8s %-7s %10.0f %9.2f %9.2f %7d %11.0f\n' "$k" "$c" \
      "$(col "$k" "$c" 4 | median)" "$(col "$k" "$c" 5 | median)" "$(col "$k" "$c" 6 | median)" \
      "$(col "$k" "$c" 7 | awk '{s+=$1} END {print s+0}')" "$(col "$k" "$c" 9 | median)"
  done
done
echo
printf '%-8s %-9s %14s %14s\n' case vs rps_ratio p99_ratio
for k in $CASES; do
  for c in $CONTESTANTS; do
    [ "$c" = nginx ] && continue
    for ref in nginx $( [ "$c" = portao ] && [ -n "$BASELINE_JAR" ] && echo base ); do
      awk -v k="$k" -v who="$c/$ref" \
        -v a="$(col "$k" "$c" 4 | median)" -v b="$(col "$k" "$ref" 4 | median)" \
        -v pa="$(col "$k" "$c" 6 | median)" -v pb="$(col "$k" "$ref" 6 | median)" \
        'BEGIN { printf "%-8s %-13s %10.2f %14.2f\n", k, who, (b>0?a/b:0), (pb>0?pa/pb:0) }'
    done
  done
done
echo
for c in $CONTESTANTS; do
  [ "$c" = nginx ] && continue
  pid=$(eval echo "\$PID_$c")
  load_rss=$( (cat "$WORK/rss-$c.txt" 2>/dev/null || echo 0) | sort -n | tail -n1)
  peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  printf '%s: startup %s ms to first 200 (CPU %s ms; Spring: Started in %s s); RSS under load max %d MiB, peak (VmHWM) %d MiB; event loops %s\n' \
    "$c" "$(eval echo "\$STARTUP_$c")" "$(eval echo "\$STARTUP_CPU_$c")" "$(eval echo "\${SPRING_$c:-?}")" $(( load_rss / 1024 )) $(( peak / 1024 )) "$(eval echo "\$LOOPS_$c")"
done
cp "$RESULTS" "${BENCH_RESULTS:-/tmp/portao-bench-last.txt}" 2>/dev/null || true
echo "raw results: ${BENCH_RESULTS:-/tmp/portao-bench-last.txt} (case proxy pair rps p50 p99 errors requests cpu_us/req)"
