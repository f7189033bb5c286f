#!/usr/bin/env bash
# Issue 14's chaos scenario against nginx and Portão side by side, on loopback: three instance processes, 50
# keep-alive clients for 30 s; SIGKILL one instance at 5 s, SIGSTOP another at 10 s, restart the killed one at 20 s,
# SIGCONT the frozen one at 25 s. nginx runs with its defaults plus proxy_read_timeout 2s, Portão with the
# README's contract plus response-timeout 2s. Prints one line per run, proxy and method: requests, errors by status,
# requests without an answer, requests slower than the 2 s timeout.
#
#   bash bench/chaos.sh                        # 1 run, GET and POST, nginx and Portão
#   bash bench/chaos.sh --runs 5 --methods GET # the issue's "5 times in a row"
#   bash bench/chaos.sh --proxies portao --java-home /usr/lib/jvm/temurin-25-jdk-amd64
#   bash bench/chaos.sh --verbose            # also what each proxy logged about ejections and timeouts
#
# Exits 1 if any GET run through Portão had a client error. Every process (instances, nginx, Portão) is started by
# the harness (io.portao.support.ChaosScenario, in the test sources) and stopped by its PID.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAVA="java"
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs|--methods|--proxies|--connections) ARGS+=("$1" "$2"); shift ;;
    --verbose) ARGS+=("$1") ;;
    --java-home) JAVA="$2/bin/java"; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

if [ ! -x /usr/sbin/nginx ]; then
  echo "chaos: /usr/sbin/nginx is missing (apt-get install nginx-light)" >&2
  exit 2
fi

cd "$ROOT"
# The jar and the test classes (the harness and its fake instances), and the test class path.
./mvnw -B -q -DskipTests package
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
"$JAVA" -cp "target/test-classes:target/classes:$(cat "$CP_FILE")" io.portao.support.ChaosScenario "${ARGS[@]}"
