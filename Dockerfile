# Portão's image: the jar built by `./mvnw package`, split into Spring Boot's layers on a JRE base.
#
#   ./mvnw -B -DskipTests package
#   docker build -t portao:local .                                   # base: the official Temurin 25 JRE
#   docker build --build-arg BASE_IMAGE=portao/jre-base:25 -t portao:local .   # base built by .ci/docker-base.sh
#   docker build --build-arg BASE_IMAGE=eclipse-temurin:17-jre -t portao:java17 .   # Java 17 is still supported
#
# Nothing is downloaded while building besides the base image: the jar comes from target/ and is extracted with
# the JRE of the base image itself, which also writes the class-data-sharing archive. See docs/docker.md for running
# it (mounts, ports, stop timeout) and docs/performance.md "Start-up" for what the archive buys.

# Any image with a Java 17+ `java` on the PATH, `useradd` and a glibc; .ci/docker-base.sh builds one (a jlinked
# runtime on a Debian root) for machines that cannot pull. Java 25 by default: its AOT cache (below) starts the
# gateway faster than Java 17's CDS archive, and it is the current LTS.
ARG BASE_IMAGE=eclipse-temurin:25-jre

FROM ${BASE_IMAGE} AS extract
# Docker's classic builder keeps this stage as an untagged image: the label lets tools find and remove it.
LABEL io.portao.image=build-stage
WORKDIR /build
# Only the repackaged jar: `portao-<version>.jar` (the plain jar is `.jar.original` and does not match).
ARG JAR_FILE=target/portao-*.jar
COPY ${JAR_FILE} portao.jar
# Spring Boot's layers (dependencies, spring-boot-loader, snapshot-dependencies, application): the dependency layers
# change rarely, so a new build of the app ships (and a node pulls) only the small application layer. Without
# --launcher: the application layer is portao.jar with its dependencies in lib/ on its manifest's Class-Path, which
# the JDK's own class loader reads (much faster than the nested jars of the fat jar) and class-data sharing needs.
RUN java -Djarmode=tools -jar portao.jar extract --layers --destination extracted

FROM ${BASE_IMAGE}
LABEL io.portao.image=gateway \
      org.opencontainers.image.title="Portão" \
      org.opencontainers.image.description="Reactive edge gateway replacing nginx in front of N app instances" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/portao/portao"
# A fixed numeric UID/GID so that Kubernetes' runAsNonRoot can verify it and mounted files can be granted to it.
RUN groupadd --system --gid 10001 portao \
    && useradd --system --uid 10001 --gid portao --home-dir /app --no-create-home --shell /usr/sbin/nologin portao
WORKDIR /app
# Least-changing layer first.
COPY --from=extract /build/extracted/dependencies/ ./
COPY --from=extract /build/extracted/spring-boot-loader/ ./
COPY --from=extract /build/extracted/snapshot-dependencies/ ./
COPY --from=extract /build/extracted/application/ ./
# Class-data sharing (docs/performance.md "Start-up"): one training start at build time records the classes it
# loaded; every start then maps them instead of loading, verifying and linking them again (about half the start-up
# CPU). Java 25+ writes an AOT cache (JEP 483/514/515: classes loaded and linked, plus the method profiles of what
# ran, so that the JIT of a real start compiles the hot methods sooner), Java 17-24 a dynamic CDS archive. The
# training serves requests before it stops, so that what the first requests of a real start load and run (the
# route, the load balancer, Reactor Netty's client and its connection pool, static files, the Actuator) is in the
# archive too: one route lb://training whose only instance is the training JVM's own management server (no backend
# needed), bash's /dev/tcp as the client (no curl in a minimal base; every wait bounded), 50 rounds of requests, then
# SIGTERM, on which the JVM writes the archive as it exits. The ports (18888, 18901) are bound in the build's own
# network namespace; a `docker build --network host` needs them free on the host.
# The same GC and heap flags and the same jar path as the ENTRYPOINT (Java 17 refuses an archive recorded with
# another spelling of the class path, e.g. a relative one). jvm.args (an argument file, read by the java launcher)
# names the archive, or is empty when the JRE could not write one: the JVM then starts without it, as before.
# A JVM that cannot use the archive (another JDK build) only warns and starts without it.
# Java 23+ restricts sun.misc.Unsafe's memory access (JEP 471/498) and Netty then copies bodies without it: on Java
# 25 a 16 KiB proxied response took twice the CPU (docs/performance.md). A JRE that knows the option gets
# --sun-misc-unsafe-memory-access=allow in jvm.args, for the training run and every start.
# Spring AOT (docs/performance.md "Twenty-first round", docs/docker.md "Spring AOT"): the jar carries bean definitions
# generated at build time for its own application.yml, and -Dspring.aot.enabled=true starts on them instead of
# parsing the configuration classes (about half a second less). io.portao.aot.AotConditionsGuard checks at every
# start that the mounted configuration decides every condition as the build did, and starts without them (logging
# which condition differs) when not, so that a configuration the build did not see still gets its own beans. The
# training runs with it too, so that the cache holds the classes of the start that uses it, and
# (-Dportao.aot.training=true) also parses the configuration as a start without it does, so that the cache serves a
# start the guard turns AOT off for as well.
SHELL ["/bin/bash", "-c"]
RUN set -e; \
    springaot="-Dspring.aot.enabled=true"; \
    unsafe=""; \
    if java --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then unsafe="--sun-misc-unsafe-memory-access=allow"; fi; \
    if java -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then \
      record="-XX:AOTCacheOutput=/app/portao.aot"; use="-XX:AOTCache=/app/portao.aot"; archive=/app/portao.aot; \
    else \
      record="-XX:ArchiveClassesAtExit=/app/portao.jsa"; use="-XX:SharedArchiveFile=/app/portao.jsa"; archive=/app/portao.jsa; \
    fi; \
    mkdir -p /tmp/training/static; echo training >/tmp/training/static/training.txt; \
    java $unsafe $springaot -Dportao.aot.training=true -XX:MaxRAMPercentage=50 -XX:+UseSerialGC "$record" \
      -jar /app/portao.jar \
      --server.port=18888 --management.server.port=18901 \
      --spring.web.resources.static-locations=file:/tmp/training/static/ \
      '--spring.cloud.discovery.client.simple.instances.training[0].uri=http://127.0.0.1:18901' \
      '--spring.cloud.gateway.server.webflux.routes[0].id=training' \
      '--spring.cloud.gateway.server.webflux.routes[0].uri=lb://training' \
      '--spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/**' \
      >/tmp/training/log 2>&1 & \
    pid=$!; \
    fail() { echo "class-data-sharing training: $1" >&2; kill "$pid" 2>/dev/null || true; tail -40 /tmp/training/log; exit 1; }; \
    get() ( exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1; \
      printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$2" >&3; \
      read -r -t 30 _ status _ <&3 || exit 1; timeout 30 cat <&3 >/dev/null; [ "$status" = 200 ] ); \
    for i in $(seq 1 600); do \
      get 18888 /actuator/health 2>/dev/null && break; \
      kill -0 "$pid" 2>/dev/null || fail "the JVM exited"; \
      [ "$i" -lt 600 ] || fail "no 200 through the gateway within 2 minutes"; \
      sleep 0.2; \
    done; \
    for i in $(seq 1 50); do \
      get 18888 /actuator/health && get 18888 /static/training.txt && get 18901 /actuator/health/readiness \
        || fail "a request did not get 200"; \
    done; \
    get 18901 /actuator/prometheus || fail "/actuator/prometheus did not get 200"; \
    kill -TERM "$pid"; \
    status=0; wait "$pid" || status=$?; \
    [ "$status" = 0 ] || [ "$status" = 143 ] || fail "exit status $status"; \
    rm -rf /tmp/training; \
    if [ ! -s "$archive" ]; then echo "no class-data-sharing archive written" >&2; use=""; fi; \
    for flag in $use $unsafe $springaot; do echo "$flag"; done > jvm.args
USER 10001:10001

# Configuration is mounted, never baked in: /config/application.yml (a directory location, so the file may be
# absent) is read on top of the jar's defaults. Static files (spring.web.resources.static-locations, by default
# /var/www/static/static/) and TLS PEM files (spring.ssl.bundle.pem.*, wherever the mounted config points) are
# mounted too. No VOLUME instruction: it would create an anonymous volume on every run that nobody removes.
ENV SPRING_CONFIG_ADDITIONAL_LOCATION=optional:file:/config/
# Without a locale the JVM would read non-ASCII file names (static files) as '?': C.UTF-8 is built into glibc.
ENV LANG=C.UTF-8

# 8888: the public port (server.port; use it for TLS too, or set server.port). The optional plain-HTTP redirect
# port (portao.tls.redirect-port) has no default, so it is not listed: publish the one you configure.
# 9901: Actuator (management.server.port). It binds 127.0.0.1 by default, which only host networking reaches:
# set MANAGEMENT_SERVER_ADDRESS=0.0.0.0 to reach it through a published port or from a kubelet probe.
EXPOSE 8888 9901

# The JVM sizes itself from the container's cgroup limits (UseContainerSupport is on by default since JDK 10):
# - MaxRAMPercentage=50: the heap gets half of the memory limit, not the default quarter. The other half is for
#   what a proxy uses outside the heap: Netty's pooled direct buffers (capped by default at the heap size, and
#   in practice a small fraction of it), metaspace, code cache and thread stacks. More heap would let the
#   kernel OOM-kill the container under load instead of the JVM throwing; less wastes memory on a gateway
#   whose heap holds mostly short-lived request objects.
# - UseSerialGC: what the JVM itself picks for a container of fewer than 2 CPUs or 1792 MiB, named so that a
#   larger container keeps it. A gateway's heap is almost all short-lived request objects, so its young
#   collections copy little and its old generation grows slowly. Measured against G1 in alternation (the same
#   flags, a 768 MiB limit as in the chart, docs/performance.md): the same throughput and p99 on every case (within
#   3 %), and 266 MiB of RSS under load against G1's 357 MiB (its remembered sets, and a heap it grows more
#   eagerly). Needs a heap much larger than 1 GiB (a big static-file or connection load)? Prefer G1 there:
#   JAVA_OPTS="-XX:-UseSerialGC -XX:+UseG1GC".
# - ExitOnOutOfMemoryError: a gateway that ran out of heap is better restarted by the orchestrator than left
#   half-working.
# - UseTransparentHugePages, when the kernel offers them (its transparent_hugepage mode is madvise or always; with
#   never the JVM would only warn, so the flag is left out): the heap in 2 MiB pages. Every page of a fresh young
#   generation is first touched during the start (the heap starts at 1/64 of the memory, 384 MiB on a 24 GiB
#   machine, so a young generation of over 100 MiB), and each 4 KiB touch is a page fault; with 2 MiB pages there
#   are 512 times fewer. Measured (docs/performance.md, twenty-second round): 0.13-0.23 s and about 0.4 s of CPU
#   less to the first 200; throughput and RSS under load the same within the noise.
#   JAVA_OPTS=-XX:-UseTransparentHugePages turns it off.
# Change or add flags with JAVA_OPTS: they come after the image's own on the command line, and the last of a flag
# wins, for example JAVA_OPTS="-XX:MaxRAMPercentage=60 -XX:ActiveProcessorCount=4" (split at spaces; set -f keeps
# a * in it from matching file names). JAVA_TOOL_OPTIONS is read too, but before the command line, so it can add
# flags (-Xlog, -D) and cannot change one the image sets.
# java is PID 1 (the shell execs it) and gets docker stop's SIGTERM, which starts the graceful shutdown
# (server.shutdown: graceful, up to spring.lifecycle.timeout-per-shutdown-phase, 30 s): give docker stop -t /
# --stop-timeout more than that (35), since Docker's default of 10 s would SIGKILL requests still in flight.
# Arguments after the image's name (docker run ... portao --server.port=9000) go to the application.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/bin/sh", "-c", "set -f; thp=; read -r mode 2>/dev/null </sys/kernel/mm/transparent_hugepage/enabled || mode='[never]'; case $mode in *'[never]'*) ;; *) thp=-XX:+UseTransparentHugePages ;; esac; exec java -XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError $thp @/app/jvm.args $JAVA_OPTS -jar /app/portao.jar \"$@\"", "portao"]
