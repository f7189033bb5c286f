# shellcheck shell=bash
# Helpers shared by bench/run.sh, bench/startup.sh and bench/image-startup.sh (sourced, not run). The caller sets
# WORK, BACKEND_A and BACKEND_B before it writes a configuration.

# Stops one process started by the caller: TERM, up to 30 s for it to exit, then KILL.
stop_pid() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# A free loopback port, checked against the listening sockets, below the kernel's ephemeral range
# (net.ipv4.ip_local_port_range, 32768-60999 by default) so that no client socket of another process takes it
# between this check and the bind.
EPHEMERAL_LOW=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
USED_PORTS=" "
free_port() {
  local port i
  for i in $(seq 1 200); do
    port=$(( 10000 + (RANDOM * 7 + i) % (EPHEMERAL_LOW - 10000) ))
    case "$USED_PORTS" in *" $port "*) continue ;; esac
    if ! ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
      USED_PORTS="$USED_PORTS$port "
      echo "$port"
      return 0
    fi
  done
  echo "no free port" >&2
  return 1
}

# Milliseconds since the epoch, without starting a process (bash 5's EPOCHREALTIME).
now_ms() { local t="${EPOCHREALTIME/[.,]/}"; echo $(( t / 1000 )); }

wait_200() {
  # $1 = url, $2 = pid, $3 = timeout s (SECONDS counts whole seconds: $3 to $3 + 1); prints the ms at which the
  # first 200 came.
  # The poll must not slow down the start it times: a curl, a date and a sleep process every 20 ms took ~70 % of a
  # core here (3.6 s of CPU in 5 s against a closed port), on 2 cores where the JVM's start keeps both busy. The
  # port is watched through bash's /dev/tcp (a connect, no process) and a read timeout as the pause; curl runs once
  # the port accepts. Whatever the poll costs now is a few system calls per round.
  local url="$1" pid="$2" hostport host port fd nap end=$(( SECONDS + $3 + 1 ))
  hostport="${url#*://}"; hostport="${hostport%%/*}"; host="${hostport%:*}"; port="${hostport##*:}"
  # A pipe opened for reading and writing: a read on it waits out its timeout (never an end of file).
  exec {nap}<> <(:)
  while [ "$SECONDS" -lt "$end" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "process $pid died" >&2; exec {nap}>&-; return 1; fi
    if { exec {fd}<>"/dev/tcp/$host/$port"; } 2>/dev/null; then
      exec {fd}>&-
      # -k: bench/run.sh's TLS instances have a self-signed certificate.
      if [ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null)" = 200 ]; then
        now_ms
        exec {nap}>&-
        return 0
      fi
    fi
    read -rt 0.02 -u "$nap" || true
  done
  exec {nap}>&-
  echo "no 200 from $1 within $3 s" >&2
  return 1
}

# Portão: the README's configuration contract, every default on.
write_portao_config() {
  # $1 = file, $2 = port, $3 = management port
  cat > "$1" <<EOF
server:
  port: $2
  address: 127.0.0.1
management:
  server:
    port: $3
spring:
  cloud:
    discovery:
      client:
        simple:
          instances:
            bapis:
              - uri: http://127.0.0.1:$BACKEND_A
              - uri: http://127.0.0.1:$BACKEND_B
    gateway:
      server:
        webflux:
          routes:
            - id: bapis
              uri: lb://bapis
              predicates:
                - Path=/**
  web:
    resources:
      static-locations: file:$WORK/www/static/
EOF
}

median() { sort -g | awk '{a[NR]=$1} END { if (NR==0) {print 0; exit} if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }

# --sun-misc-unsafe-memory-access=allow for a JVM that knows the option (Java 23+), nothing for older ones.
unsafe_memory_access_flag() {
  if "$1" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
    echo "--sun-misc-unsafe-memory-access=allow"
  fi
}

# -XX:+UseTransparentHugePages when the kernel offers transparent huge pages (mode madvise or always), as the
# Dockerfile's ENTRYPOINT decides it; nothing with never (the JVM would only warn).
transparent_huge_pages_flag() {
  local mode=""
  read -r mode 2>/dev/null </sys/kernel/mm/transparent_hugepage/enabled || true
  case "$mode" in *'[never]'*|'') ;; *) echo "-XX:+UseTransparentHugePages" ;; esac
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

# CPU time (clock ticks) of a process and its children (nginx's worker), to give CPU per request: the figure
# that carries to other machines better than requests per second on a shared one.
cpu_ticks() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

# Whether a Spring Boot jar binds property $2: its configuration metadata (written by
# spring-boot-configuration-processor) lists every @ConfigurationProperties field. Spring ignores a property that
# nothing binds, so a run "with X off" on a jar without X would silently measure the jar with X on.
jar_knows_property() {
  # $1 = jar, $2 = property name
  { unzip -p "$1" META-INF/spring-configuration-metadata.json META-INF/additional-spring-configuration-metadata.json \
      2>/dev/null || true; } | grep -qF "\"name\": \"$2\""
}
