#!/usr/bin/env bash
# Cost of the per-instance meters and the access log: two gateways from the packaged jar run at once, ON (the
# defaults) and OFF (access log, Portão/gateway/pool/http meters off), in front of two nginx "return 200"
# backends; wrk (Debian's) alternates between them, ROUNDS x 10 s each after a warm-up, so that load from elsewhere
# hits both alike. Prints requests/s and the gateway JVM's CPU time per request (utime+stime, /proc).
# OFF_ARGS=... replaces what OFF turns off (e.g. only --portao.access-log.enabled=false); WARMUP=seconds of load per
# gateway before measuring (default 40), ROUNDS=alternating rounds (default 5). JVM_OPTS=... the gateways' JVM flags
# (default: the ones docs/performance.md recommends for a 2-core container, as bench/run.sh uses; with the JVM's
# default G1 the ON side's extra code is still being compiled by C2 after a 40 s warm-up, which shows as cost).
# Needs: ./mvnw -DskipTests package, /usr/sbin/nginx, wrk. Ports 18181/18182 (backends), 18888/18889, 18901/18902.
set -u
W="$(mktemp -d)"
cat > "$W/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $W/nginx.pid;
error_log $W/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $W/cb; proxy_temp_path $W/px; fastcgi_temp_path $W/fc; uwsgi_temp_path $W/uw; scgi_temp_path $W/sc;
  server { listen 127.0.0.1:18181; location / { return 200 "hello from backend a"; } }
  server { listen 127.0.0.1:18182; location / { return 200 "hello from backend b"; } }
}
CONF
for side in on off; do
  port=18888; mport=18901; [ $side = off ] && port=18889 && mport=18902
  cat > "$W/portao-$side.yml" <<CONF
server: { port: $port }
management: { server: { port: $mport } }
spring.cloud.discovery.client.simple.instances.bapis: [ { uri: "http://127.0.0.1:18181" }, { uri: "http://127.0.0.1:18182" } ]
spring.cloud.gateway.server.webflux.routes: [ { id: bapis, uri: "lb://bapis", predicates: [ "Path=/**" ] } ]
CONF
done
JAR=$(ls "$(dirname "$0")"/../target/portao-*.jar | grep -v -- '-plain' | sed -n 1p)
OFF="${OFF_ARGS:---portao.access-log.enabled=false --management.metrics.enable.portao=false --spring.cloud.gateway.server.webflux.metrics.enabled=false --spring.cloud.gateway.server.webflux.httpclient.pool.metrics=false --management.metrics.enable.http=false}"
TCK=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
/usr/sbin/nginx -c $W/nginx.conf & NGINX=$!
JVM_OPTS="${JVM_OPTS:--XX:+UseSerialGC -Xms128m -Xmx256m -XX:MaxDirectMemorySize=128m -XX:+ExitOnOutOfMemoryError}"
# shellcheck disable=SC2086
java $JVM_OPTS -jar $JAR --spring.config.additional-location=file:$W/portao-on.yml > $W/gw-on.log 2>&1 & ON=$!
# shellcheck disable=SC2086
java $JVM_OPTS -jar $JAR --spring.config.additional-location=file:$W/portao-off.yml $OFF > $W/gw-off.log 2>&1 & OFFPID=$!
for port in 18888 18889; do
  for i in $(seq 1 90); do curl -sf -o /dev/null http://127.0.0.1:$port/ && break; sleep 1; done
done
# Warm-up: the JIT is still compiling the hot path after 10 s (rps doubled between rounds 2 and 3 in a first try).
WARMUP="${WARMUP:-40}"
for port in 18888 18889 18888 18889; do wrk -t1 -c64 -d$((WARMUP / 2))s http://127.0.0.1:$port/ > /dev/null; done
for round in $(seq 1 "${ROUNDS:-5}"); do
  for port in 18889 18888; do
    mode=on; pid=$ON; [ $port = 18889 ] && mode=off && pid=$OFFPID
    c0=$(cpu $pid)
    out=$(wrk -t1 -c64 -d10s http://127.0.0.1:$port/)
    c1=$(cpu $pid)
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    n=$(echo "$out" | awk '/requests in/ {print $1}')
    echo "round $round $mode rps=$rps requests=$n cpu_us_per_req=$(( (c1-c0)*1000000/TCK/n )) load=$(cut -d' ' -f1 /proc/loadavg)"
  done
done
kill $ON $OFFPID; wait $ON $OFFPID 2>/dev/null
kill $NGINX; wait $NGINX 2>/dev/null
