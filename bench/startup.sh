#!/usr/bin/env bash
# Portão's start-up: time from `java` to the first 200 on the public port, N starts per variant, in alternation.
#
#   bash bench/startup.sh                          # the packaged jar, 5 starts, Java on PATH, the recommended flags
#   bash bench/startup.sh --runs 7 --java-home /usr/lib/jvm/temurin-25-jdk-amd64
#   bash bench/startup.sh --variant before --jar /tmp/portao-before.jar --variant after --jar target/portao-*.jar
#   bash bench/startup.sh --variant plain --variant cds --cds          # the same jar without and with CDS
#
# Each start runs the jar with bench/run.sh's configuration (the README's contract: route lb://bapis Path=/**, two
# nginx backends in the simple discovery client, static files from a directory) and polls GET /small through the
# proxy every 20 ms (bench/lib.sh's wait_200: a connect until the port accepts, then curl; ~2 % of a core, so that
# the poll does not slow down the start it times). Printed per variant: medians of wall time to the first 200, the
# JVM's CPU time (user+sys of every thread, from /proc/PID/stat) at that moment, Spring's "Started ... in" and the
# classes loaded. On a shared
# machine wall time follows the other load; CPU time much less: compare variants on CPU, started in alternation
# (A B A B ...). Loopback only, free ports, every process started here is stopped by its PID, every loop bounded.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=5
# bench/run.sh's flags (docs/performance.md "JVM settings"); --jvm-opts replaces them for every variant.
JVM_OPTS="-XX:+UseSerialGC -Xms128m -Xmx256m -XX:MaxDirectMemorySize=128m -XX:+ExitOnOutOfMemoryError"
TIMEOUT=120
THREADS=0

# Variants: parallel arrays, index = variant number. Options before the first --variant set the defaults.
V_NAME=(); V_JAR=(); V_JAVA=(); V_OPTS=(); V_CDS=()
D_JAR=""; D_JAVA=""; D_OPTS=""; D_CDS=0
CUR=-1

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  cat <<'EOF'
Options:
  --runs N              starts per variant (default 5)
  --jvm-opts "..."      JVM flags of every variant (default: the recommended ones, printed in the header)
  --variant NAME        start a new variant; the options below apply to it (before any --variant: to all)
  --jar FILE            the jar (default: target/portao-*.jar, built if missing)
  --java-home DIR       DIR/bin/java (default: java on PATH)
  --extra-jvm-opts "..." added after --jvm-opts (e.g. -Dspring.main.lazy-initialization=true)
  --cds                 class-data sharing: the jar extracted (jarmode tools), one training start that serves
                        a request and exits (Java 17-24: -XX:ArchiveClassesAtExit; 25+: -XX:AOTCacheOutput),
                        then every start with the archive (-XX:SharedArchiveFile / -XX:AOTCache)
  --cds-refresh         --cds, but trained as the Dockerfile does: -Dspring.context.exit=onRefresh (no request)
  --extracted           the jar extracted (java -Djarmode=tools -jar portao.jar extract), started as
                        `java -jar extracted/portao.jar` (its lib/ on the class path), without CDS
  --timeout S           give up on a start after S seconds (default 120)
  --threads             also print each variant's median CPU per thread (JIT compilers, GC, main, ...)
EOF
}

set_opt() {
  # $1 = field, $2 = value: to the current variant, or to the defaults before the first --variant
  if [ "$CUR" -lt 0 ]; then eval "D_$1=\"\$2\""; else eval "V_$1[$CUR]=\"\$2\""; fi
}

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --jvm-opts) JVM_OPTS="$2"; shift ;;
    --timeout) TIMEOUT="$2"; shift ;;
    --threads) THREADS=1 ;;
    --variant)
      CUR=${#V_NAME[@]}
      V_NAME[$CUR]="$2"; V_JAR[$CUR]="$D_JAR"; V_JAVA[$CUR]="$D_JAVA"; V_OPTS[$CUR]="$D_OPTS"; V_CDS[$CUR]="$D_CDS"
      shift ;;
    --jar) set_opt JAR "$2"; shift ;;
    --java-home) set_opt JAVA "$2"; shift ;;
    --extra-jvm-opts) set_opt OPTS "$2"; shift ;;
    --cds) set_opt CDS 1 ;;
    --extracted) set_opt CDS extracted ;;
    --cds-refresh) set_opt CDS refresh ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [ ${#V_NAME[@]} -eq 0 ]; then
  V_NAME=(portao); V_JAR=("$D_JAR"); V_JAVA=("$D_JAVA"); V_OPTS=("$D_OPTS"); V_CDS=("$D_CDS")
fi
case "$RUNS" in ''|*[!0-9]*) echo "--runs: $RUNS (expected: a positive integer)" >&2; exit 2 ;; esac
[ "$RUNS" -ge 1 ] && [ "$RUNS" -le 50 ] || { echo "--runs: $RUNS (expected: 1 to 50)" >&2; exit 2; }

log() { printf '[startup %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

[ -x /usr/sbin/nginx ] || { echo "needs /usr/sbin/nginx (Debian's nginx-light; bench/run.sh installs it)" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "needs curl" >&2; exit 1; }

default_jar() {
  local jar
  jar="$(ls "$ROOT"/target/portao-*.jar 2>/dev/null | grep -v -- '-plain' | sed -n 1p || true)"
  if [ -z "$jar" ]; then
    log "building the jar (./mvnw -B -q -DskipTests package)"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
    jar="$(ls "$ROOT"/target/portao-*.jar | grep -v -- '-plain' | sed -n 1p)"
  fi
  echo "$jar"
}
for i in "${!V_NAME[@]}"; do
  [ -n "${V_JAR[$i]}" ] || V_JAR[$i]="$(default_jar)"
  [ -f "${V_JAR[$i]}" ] || { echo "${V_NAME[$i]}: no jar ${V_JAR[$i]}" >&2; exit 1; }
  if [ -n "${V_JAVA[$i]}" ]; then V_JAVA[$i]="${V_JAVA[$i]}/bin/java"; else V_JAVA[$i]=java; fi
  "${V_JAVA[$i]}" -version >/dev/null 2>&1 || { echo "${V_NAME[$i]}: no java at ${V_JAVA[$i]}" >&2; exit 1; }
done

# --- processes, stopped by PID ---------------------------------------------------------------------------
WORK="$(mktemp -d /tmp/portao-startup.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
# A stopped process leaves PIDS, so that cleanup never signals a PID the system has since given to another process.
forget_pid() {
  local kept=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  PIDS=("${kept[@]}")
}
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM



# --- one nginx backend serving /small, twice in the discovery list as bench/run.sh has two ----------------
BACKEND_A=$(free_port); BACKEND_B=$(free_port)
mkdir -p "$WORK/backend" "$WORK/www/static"
echo hello > "$WORK/www/static/index.txt"
chmod -R a+rX "$WORK/www"
cat > "$WORK/backend/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $WORK/backend/nginx.pid;
error_log $WORK/backend/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $WORK/backend/body;
  proxy_temp_path $WORK/backend/proxy;
  fastcgi_temp_path $WORK/backend/fastcgi;
  uwsgi_temp_path $WORK/backend/uwsgi;
  scgi_temp_path $WORK/backend/scgi;
  server {
    listen 127.0.0.1:$BACKEND_A;
    listen 127.0.0.1:$BACKEND_B;
    location = /small { return 200 "hello\n"; }
  }
}
EOF
/usr/sbin/nginx -p "$WORK/backend" -e "$WORK/backend/error.log" -c "$WORK/backend/nginx.conf" \
  >"$WORK/backend/stdout.log" 2>&1 &
PIDS+=("$!")
BACKEND_PID=$!

wait_200 "http://127.0.0.1:$BACKEND_A/small" "$BACKEND_PID" 10 >/dev/null

CLK_TCK=$(getconf CLK_TCK)
# CPU ms per thread name (digits folded: C2 CompilerThread0/1 -> C2 CompilerThread#), largest first
thread_cpu() {
  local t
  for t in /proc/"$1"/task/*; do
    awk -v hz="$CLK_TCK" '{ match($0, /\(.*\)/); name = substr($0, RSTART + 1, RLENGTH - 2); rest = substr($0, RSTART + RLENGTH + 1)
      split(rest, f, " "); gsub(/[0-9]+$/, "#", name); printf "%s\t%d\n", name, (f[12] + f[13]) * 1000 / hz }' "$t/stat" 2>/dev/null
  done | awk -F'\t' '{ s[$1] += $2 } END { for (n in s) printf "%8d ms  %s\n", s[n], n }' | sort -rn
}
cpu_ms() { awk -v hz="$CLK_TCK" '{ printf "%d\n", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }
java_feature() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }

# --- class-data sharing: extract, train once, then start with the archive ----------------------------------
# Sets V_CMD[i]: the java arguments after the JVM flags ("-jar <jar>" or, with CDS, the archive + the extracted jar).
V_CMD=()
prepare_cds() {
  # $1 = variant index
  local i="$1" dir="$WORK/cds-$1" feature archive flag port mgmt pid
  feature=$(java_feature "${V_JAVA[$i]}")
  "${V_JAVA[$i]}" -Djarmode=tools -jar "${V_JAR[$i]}" extract --destination "$dir" >/dev/null
  local jar
  jar="$(ls "$dir"/*.jar | sed -n 1p)"
  if [ "${V_CDS[$i]}" = extracted ]; then V_CMD[$i]="-jar $jar"; return 0; fi
  if [ "${feature%%.*}" -ge 25 ]; then
    archive="$dir/portao.aot"; flag="-XX:AOTCacheOutput=$archive"; V_CMD[$i]="-XX:AOTCache=$archive -jar $jar"
  else
    archive="$dir/portao.jsa"; flag="-XX:ArchiveClassesAtExit=$archive"; V_CMD[$i]="-XX:SharedArchiveFile=$archive -jar $jar"
  fi
  port=$(free_port); mgmt=$(free_port)
  write_portao_config "$dir/application.yml" "$port" "$mgmt"
  log "${V_NAME[$i]}: training start for CDS (Java $feature: $flag, ${V_CDS[$i]/1/request})"
  if [ "${V_CDS[$i]}" = refresh ]; then
    # As the Dockerfile does it: the context is refreshed, then the JVM exits (no port bound, no request).
    # shellcheck disable=SC2086
    timeout "$TIMEOUT" "${V_JAVA[$i]}" $JVM_OPTS ${V_OPTS[$i]} "$flag" -Dspring.context.exit=onRefresh -jar "$jar" \
      --spring.config.additional-location="file:$dir/application.yml" >"$dir/training.log" 2>&1 || true
  else
    # shellcheck disable=SC2086
    "${V_JAVA[$i]}" $JVM_OPTS ${V_OPTS[$i]} "$flag" -jar "$jar" \
      --spring.config.additional-location="file:$dir/application.yml" >"$dir/training.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait_200 "http://127.0.0.1:$port/small" "$pid" "$TIMEOUT" >/dev/null || { tail -30 "$dir/training.log" >&2; exit 1; }
    curl -s -o /dev/null "http://127.0.0.1:$port/static/index.txt"
    curl -s -o /dev/null "http://127.0.0.1:$mgmt/actuator/health"
    stop_pid "$pid"; forget_pid "$pid"
  fi
  [ -s "$archive" ] || { echo "${V_NAME[$i]}: no archive written" >&2; tail -30 "$dir/training.log" >&2; exit 1; }
  log "${V_NAME[$i]}: archive $(du -m "$archive" | cut -f1) MB"
}
for i in "${!V_NAME[@]}"; do
  if [ "${V_CDS[$i]}" = 0 ]; then V_CMD[$i]="-jar ${V_JAR[$i]}"; else prepare_cds "$i"; fi
done

# --- the starts ----------------------------------------------------------------------------------------------
RESULTS="$WORK/results.txt"
: >"$RESULTS"
one_start() {
  # $1 = variant index, $2 = run number; appends "name run wall_ms cpu_ms spring_s classes" to $RESULTS
  local i="$1" dir="$WORK/run-$1-$2" port mgmt pid t0 t1 cpu spring classes
  mkdir -p "$dir"
  port=$(free_port); mgmt=$(free_port)
  write_portao_config "$dir/application.yml" "$port" "$mgmt"
  t0=$(now_ms)
  # shellcheck disable=SC2086
  "${V_JAVA[$i]}" $JVM_OPTS ${V_OPTS[$i]} ${V_CMD[$i]} \
    --spring.config.additional-location="file:$dir/application.yml" >"$dir/out.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  if ! t1=$(wait_200 "http://127.0.0.1:$port/small" "$pid" "$TIMEOUT"); then
    tail -30 "$dir/out.log" >&2
    exit 1
  fi
  cpu=$(cpu_ms "$pid")
  [ "$THREADS" = 1 ] && thread_cpu "$pid" >"$dir/threads.txt"
  classes=$(jcmd_classes "$i" "$pid")
  spring=$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds' "$dir/out.log" | sed -n 1p | awk '{print $4}')
  stop_pid "$pid"; forget_pid "$pid"
  echo "${V_NAME[$i]} $2 $(( t1 - t0 )) $cpu ${spring:-0} ${classes:-0}" >>"$RESULTS"
  log "${V_NAME[$i]} #$2: $(( t1 - t0 )) ms to first 200, CPU $cpu ms, Spring ${spring:-?} s, $classes classes"
}
jcmd_classes() {
  # loaded classes (after the first 200) from the JVM's own counter; 0 when jcmd is missing
  local jcmd
  jcmd="$(dirname "${V_JAVA[$1]}")/jcmd"
  [ "${V_JAVA[$1]}" = java ] && jcmd=jcmd
  "$jcmd" "$2" PerfCounter.print 2>/dev/null | awk -F= '/^java.cls.(loadedClasses|sharedLoadedClasses)=/ {n += $2} END {print n + 0}' || true
}

log "JVM flags: $JVM_OPTS; $RUNS start(s) per variant, in alternation"
for r in $(seq 1 "$RUNS"); do
  for i in "${!V_NAME[@]}"; do one_start "$i" "$r"; done
done

# --- report ----------------------------------------------------------------------------------------------------
col() { awk -v n="$1" -v f="$2" '$1==n {print $f}' "$RESULTS"; }
echo
echo "Portão start-up — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "JVM flags: $JVM_OPTS; $RUNS start(s) per variant in alternation; medians (all runs in brackets)"
printf '%-14s %-9s %10s %10s %10s %8s  %s\n' variant java wall_ms cpu_ms spring_s classes "extra"
for i in "${!V_NAME[@]}"; do
  n="${V_NAME[$i]}"
  printf '%-14s %-9s %10s %10s %10s %8s  %s\n' "$n" "$(java_feature "${V_JAVA[$i]}")" \
    "$(col "$n" 3 | median)" "$(col "$n" 4 | median)" "$(col "$n" 5 | median)" "$(col "$n" 6 | median)" \
    "$(case "${V_CDS[$i]}" in 1) echo "CDS " ;; refresh) echo "CDS(refresh) " ;; extracted) echo "extracted " ;; esac)${V_OPTS[$i]}"
  printf '%-14s %-9s %10s %10s\n' "" "" "[$(col "$n" 3 | tr '\n' ' ' | sed 's/ $//')]" "[$(col "$n" 4 | tr '\n' ' ' | sed 's/ $//')]"
done
if [ "$THREADS" = 1 ]; then
  for i in "${!V_NAME[@]}"; do
    echo "CPU ms per thread at the first 200, ${V_NAME[$i]} (median over the starts):"
    cat "$WORK"/run-"$i"-*/threads.txt | sed 's/^ *\([0-9]*\) ms  /\1\t/' | sort -t"$(printf '\t')" -k2,2 -k1,1n |
      awk -F'\t' '$2 != n { if (n != "") printf "%8d ms  %s\n", v[int((k + 1) / 2)], n; n = $2; k = 0 } { v[++k] = $1 }
        END { if (n != "") printf "%8d ms  %s\n", v[int((k + 1) / 2)], n }' | sort -rn | sed -n 1,12p
  done
fi
cp "$RESULTS" "${STARTUP_RESULTS:-/tmp/portao-startup-last.txt}" 2>/dev/null || true
echo "raw results: ${STARTUP_RESULTS:-/tmp/portao-startup-last.txt} (variant run wall_ms cpu_ms spring_s classes)"
