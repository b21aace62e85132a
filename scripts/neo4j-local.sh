#!/usr/bin/env bash
# A local Neo4j 5.26 Community for partner-graph, without Docker: the launcher in scripts/neo4j/.
#
#   scripts/neo4j-local.sh build     compile the launcher and fetch Neo4j's jars (Maven; once, needs network)
#   scripts/neo4j-local.sh start     start it in the background on 127.0.0.1:7687, data in data/neo4j/
#   scripts/neo4j-local.sh status    say whether it runs, and its Bolt URI (exit 3 when stopped)
#   scripts/neo4j-local.sh stop      stop it (SIGTERM: a clean shutdown)
#   scripts/neo4j-local.sh run ARGS  run the launcher in the foreground (what the test suite uses):
#                                    ARGS go to partnergraph.Launcher (--port, --data, --stop-when-stdin-closes)
#
# Environment: NEO4J_LOCAL_PORT (7687), NEO4J_LOCAL_DATA (data/neo4j), NEO4J_LOCAL_HEAP (1g).
# After the first build, start and run need only java: every jar is in scripts/neo4j/target/lib/.
# Authentication is off and Bolt listens on the loopback address only; any user and password work.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
launcher="$root/scripts/neo4j"
port="${NEO4J_LOCAL_PORT:-7687}"
data="${NEO4J_LOCAL_DATA:-$root/data/neo4j}"
heap="${NEO4J_LOCAL_HEAP:-1g}"
pid_file="$data/launcher.pid"
uri_file="$data/launcher.uri"
log_file="$data/launcher.log"

built() {
  [ -f "$launcher/target/classes/partnergraph/Launcher.class" ] && [ -f "$launcher/target/lib/.complete" ] &&
    [ "$launcher/target/lib/.complete" -nt "$launcher/pom.xml" ] &&
    [ "$launcher/target/classes/partnergraph/Launcher.class" -nt "$launcher/src/main/java/partnergraph/Launcher.java" ]
}

build() {
  if built; then return 0; fi
  command -v mvn >/dev/null || { echo "neo4j-local: Maven (mvn) is needed for the first build" >&2; exit 1; }
  echo "neo4j-local: building the launcher with Maven (the first build downloads Neo4j's jars)" >&2
  rm -rf "$launcher/target/lib"
  # Offline first: a rebuild (after an edit of the launcher) needs no network once ~/.m2 holds the jars.
  if ! mvn -o -q -B -f "$launcher/pom.xml" package >/dev/null 2>&1; then
    mvn -q -B -f "$launcher/pom.xml" package >&2
  fi
  touch "$launcher/target/lib/.complete"
}

java_cmd() {
  command -v java >/dev/null || { echo "neo4j-local: java (17 or 21) is needed" >&2; exit 1; }
  # shellcheck disable=SC2086
  echo java "-Xmx$heap" -XX:+UseSerialGC ${NEO4J_LOCAL_JAVA_OPTS:-} -cp "$launcher/target/classes:$launcher/target/lib/*" partnergraph.Launcher
}

running() { [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

case "${1:-}" in
  build)
    build
    ;;
  run)
    shift
    build
    # shellcheck disable=SC2046
    exec $(java_cmd) "$@"
    ;;
  start)
    if running; then echo "neo4j-local: already running at $(cat "$uri_file")"; exit 0; fi
    build
    mkdir -p "$data"
    : > "$uri_file"
    # shellcheck disable=SC2046
    nohup $(java_cmd) --port "$port" --data "$data" > "$uri_file" 2> "$log_file" < /dev/null &
    echo $! > "$pid_file"
    for _ in $(seq 1 240); do
      if [ -s "$uri_file" ]; then
        echo "neo4j-local: running at $(cat "$uri_file") (data in $data)"
        echo "export PARTNER_GRAPH_STORE=$(cat "$uri_file") NEO4J_USER=neo4j NEO4J_PASSWORD=local"
        exit 0
      fi
      if ! running; then echo "neo4j-local: the launcher exited; see $log_file" >&2; tail -20 "$log_file" >&2; exit 1; fi
      sleep 0.5
    done
    echo "neo4j-local: no Bolt URI after 120 s; see $log_file" >&2
    exit 1
    ;;
  stop)
    if ! running; then echo "neo4j-local: not running"; rm -f "$pid_file"; exit 0; fi
    pid="$(cat "$pid_file")"
    kill -TERM "$pid"
    for _ in $(seq 1 120); do
      if ! kill -0 "$pid" 2>/dev/null; then rm -f "$pid_file" "$uri_file"; echo "neo4j-local: stopped"; exit 0; fi
      sleep 0.5
    done
    echo "neo4j-local: pid $pid did not stop within 60 s" >&2
    exit 1
    ;;
  status)
    if running; then echo "neo4j-local: running at $(cat "$uri_file") (pid $(cat "$pid_file"), data in $data)"; exit 0; fi
    echo "neo4j-local: not running"
    exit 3
    ;;
  *)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
