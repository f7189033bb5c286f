# shellcheck shell=bash
# The TLS pieces of bench/run.sh (sourced, not run): the certificate, nginx's TLS server, Portão's TLS
# configuration, h2load and its output. The caller sets WORK, NGINX, log, apt_install and the helpers of lib.sh.

# h2load (Debian package nghttp2-client) for the h2 case: installed when missing. Returns 0 when it is there (or
# now installed), 1 with the reason on stdout when it is not. apt-get waits at most 5 minutes for its lock and the
# whole installation at most 15, so a machine without apt access fails here instead of hanging.
ensure_h2load() {
  command -v h2load >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "h2load is not installed and this is not root with apt-get: install nghttp2-client"
    return 1
  fi
  timeout 900 bash -c "$(declare -f apt_install log); apt_install nghttp2-client" >&2 || true
  command -v h2load >/dev/null 2>&1 && return 0
  echo "h2load could not be installed (apt-get install nghttp2-client failed)"
  return 1
}

# A self-signed RSA 2048 certificate for 127.0.0.1 in $WORK/tls: cert.pem and key.pem (PKCS#8, unencrypted).
make_tls_cert() {
  mkdir -p "$WORK/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 7 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" >"$WORK/tls/openssl.log" 2>&1 \
    || { cat "$WORK/tls/openssl.log" >&2; return 1; }
  chmod 755 "$WORK/tls"; chmod 644 "$WORK/tls/cert.pem" "$WORK/tls/key.pem"
}

# The listen line of a TLS + HTTP/2 server: nginx 1.25.1 turned "listen ... http2" into the "http2 on;" directive
# (Debian 12 has 1.22, which only knows the former).
nginx_tls_listen() {
  # $1 = port
  local v
  v=$("$NGINX" -v 2>&1 | sed -n 's|.*nginx/\([0-9.]*\).*|\1|p')
  if [ "$(printf '%s\n1.25.1\n' "$v" | sort -V | sed -n 1p)" = 1.25.1 ]; then
    printf 'listen 127.0.0.1:%s ssl;\n    http2 on;\n' "$1"
  else
    printf 'listen 127.0.0.1:%s ssl http2;\n' "$1"
  fi
}

# The reference proxy's second server: TLS with HTTP/2 through ALPN, the same locations as the cleartext one
# ($1 = port, $2 = the location blocks). keepalive_requests (1000000, in the http block) also bounds the streams of
# an HTTP/2 connection since nginx 1.19.7 (http2_max_requests is obsolete), so no client connection is closed
# during a run. Protocols: TLSv1.2 and TLSv1.3, nginx's default since 1.23.4 (1.22, Debian 12's, still defaults to
# TLSv1 to TLSv1.2 and would speak TLSv1.2 where Portão speaks TLSv1.3); ciphers: nginx's defaults.
nginx_tls_server() {
  cat <<EOF
  server {
    $(nginx_tls_listen "$1")
    ssl_certificate $WORK/tls/cert.pem;
    ssl_certificate_key $WORK/tls/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
$2
  }
EOF
}

# Portão's TLS instance: the README's TLS configuration (Boot's SSL bundle from PEM files) on top of the cleartext
# one. Boot's server.netty.max-keep-alive-requests is unlimited by default (Reactor Netty counts HTTP/1.1 requests
# only; HTTP/2 streams are not limited); it is set to nginx's keepalive_requests so both sides have the same bound.
write_portao_tls_config() {
  # $1 = file
  cat > "$1" <<EOF
server:
  ssl:
    bundle: bench
  netty:
    max-keep-alive-requests: 1000000
spring:
  ssl:
    bundle:
      pem:
        bench:
          keystore:
            certificate: file:$WORK/tls/cert.pem
            private-key: file:$WORK/tls/key.pem
EOF
}

# Before measuring: /small over HTTP/1.1 and HTTP/2 on a TLS port ($1 = contestant, $2 = port), and HTTP/2 offered
# through ALPN. Prints the session (tls_session) or fails with a message.
check_tls_responses() {
  local session
  [ "$(curl -sk --http1.1 "https://127.0.0.1:$2/small")" = hello ] || { echo "$1: https /small is not hello" >&2; return 1; }
  [ "$(curl -sk --http2 "https://127.0.0.1:$2/small")" = hello ] || { echo "$1: h2 /small is not hello" >&2; return 1; }
  session=$(tls_session "https://127.0.0.1:$2/small")
  case "$session" in *" h2") echo "$session" ;; *) echo "$1: no HTTP/2 through ALPN on the TLS port ($session)" >&2; return 1 ;; esac
}

# "TLSv1.3 TLS_AES_256_GCM_SHA384 h2" as curl (OpenSSL, like wrk and h2load) negotiates it with $1 (an https URL).
tls_session() {
  curl -skv --http2 -o /dev/null --max-time 5 "$1" 2>&1 | awk '
    /SSL connection using/ { sub(/.*SSL connection using /, ""); gsub(/ \/ /, " "); proto = $0 }
    /ALPN: server accepted/ || /ALPN, server accepted to use/ { alpn = $NF }
    END { printf "%s %s\n", (proto == "" ? "?" : proto), (alpn == "" ? "http/1.1" : alpn) }'
}

# One h2load run: -c16 -m10 for $3 seconds against $2 ($1 = the proxy's PID, $4 = output prefix: $4.txt, $4.log).
# Prints the proxy's CPU ticks over h2load's measured duration.
# - Every client connects during h2load's own warm-up (--warm-up-time, not counted), so that the TLS handshakes are
#   not in the measured duration; the CPU window is that duration: from "Main benchmark duration is started" to
#   "... is over" (h2load flushes both lines at once), polled every 20 ms.
# - h2load (1.52, and newer ones as far as read) stops at the end of -D only the clients that have a session by then:
#   a client whose TLS handshake ends later (a cold or starved JVM can take seconds for its first handshakes) then
#   sends requests forever, uncounted, and h2load never exits. So h2load gets 5 s to exit after its duration, then
#   it is killed (it ignores TERM while clients remain), and the figures come from its per-request log, which it
#   writes as each request ends, not from its summary.
H2LOAD_WARMUP=2
run_h2load() {
  local h c0 c1 i
  timeout -k 5 $(( H2LOAD_WARMUP + $3 + 40 )) \
    h2load -c16 -m10 --warm-up-time="$H2LOAD_WARMUP" -D "$3" --log-file="$4.log" "$2" >"$4.txt" 2>&1 &
  h=$!
  sleep "$H2LOAD_WARMUP"
  wait_for_line "$4.txt" "duration is started" "$h" || true
  c0=$(cpu_ticks "$1")
  sleep "$3"
  wait_for_line "$4.txt" "duration is over" "$h" || true
  c1=$(cpu_ticks "$1")
  for i in $(seq 1 50); do kill -0 "$h" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$h" 2>/dev/null; then
    log "h2load still running 5 s after its duration (a client connected late): stopped, figures from its log"
    for i in $(pgrep -P "$h" 2>/dev/null || true); do kill -KILL "$i" 2>/dev/null || true; done
  fi
  wait "$h" 2>/dev/null || true
  echo $(( c1 - c0 ))
}

# Waits (every 20 ms, at most 30 s) until file $1 has a line with $2, while process $3 runs.
wait_for_line() {
  local i
  for i in $(seq 1 1500); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.02
  done
  return 1
}

# h2load's per-request log -> "rps p50_ms p99_ms errors requests", like parse_wrk ($1 = the log, $2 = the
# duration in seconds). Columns: start (us since the epoch), status, us until the end of the response; only
# requests that ended within the measured duration are logged. h2load prints no percentiles (only
# min/max/mean/sd): p50 and p99 are computed here. Status -1 is a failed stream; status 0 a request sent during
# the warm-up that ended in the measured duration (h2load counts it as a success, without its status): counted, not
# in the percentiles. When the duration ends h2load stops its clients and fails the streams still in flight: those
# (status -1, ended in the last 100 ms) are neither errors nor requests, as wrk does not count its requests in flight
# at the end either. Errors: the other failed streams (reset, connection errors, timeouts) and 4xx/5xx responses
# (wrk: "Non-2xx or 3xx responses"). rps: requests / duration.
parse_h2load() {
  local p50 p99 counts
  counts=$(awk -F'\t' 'NR == FNR { if ($1 + $3 > stop) stop = $1 + $3; next }
    $2 == -1 && $1 + $3 >= stop - 100000 { next }
    { n++ } $2 == -1 || $2 >= 400 { e++ }
    END { printf "%d %d\n", e, n }' "$1" "$1" 2>/dev/null || echo "0 0")
  read -r p50 p99 < <(awk -F'\t' '$2 > 0 {print $3}' "$1" 2>/dev/null | sort -n | awk '
    { a[NR] = $1 }
    END { if (NR == 0) { print "0 0"; exit }
          i50 = int(NR * 0.50 + 0.999999); i99 = int(NR * 0.99 + 0.999999)
          printf "%.3f %.3f\n", a[i50] / 1000, a[i99] / 1000 }')
  echo "$counts" | awk -v p50="$p50" -v p99="$p99" -v d="$2" '{ printf "%.0f %.3f %.3f %d %d\n", $2 / d, p50, p99, $1, $2 }'
}

# The application protocol h2load used ("h2" expected: with http/1.1 it would pipeline -m requests instead).
h2load_protocol() { sed -n 's/^Application protocol: *//p' "$1"; }
