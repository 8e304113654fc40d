#!/usr/bin/env bash
# Starts the whole Optik Melati system locally on a machine that has only a JDK:
# embedded PostgreSQL and Redis (real servers), one API node and two realtime nodes, with demo data.
#
#   infra/local/cluster.sh up            foreground; Ctrl-C stops everything it started
#   infra/local/cluster.sh up --detach   returns once every node is healthy
#   infra/local/cluster.sh down          stops a detached cluster
#   ... up --with-nginx [--detach]       also puts Debian's nginx in front (infra/nginx), one public
#                                        port OPTIK_LB_PORT (8000) for the UI, the API and the streams
#   infra/local/cluster.sh aot           records the JDK's AOT cache of the realtime node (JDK 25+, from
#                                        JAVA_HOME or PATH) in a training run against this cluster's
#                                        demo data; later `up`s start the realtime nodes with it, on that
#                                        JDK, while it fits the jars (README, "Starting warm")
#
# OPTIK_POSTGRES_URL (JDBC URL, with OPTIK_POSTGRES_USER / OPTIK_POSTGRES_PASSWORD) and
# OPTIK_REDIS_URL (redis://host:port) use external servers instead of the embedded ones.
# Ports: OPTIK_PG_PORT (5432), OPTIK_REDIS_PORT (6379), OPTIK_API_PORT (8080),
# OPTIK_RT_PORTS ("8081 8082"). Each node's actuator (metrics, health) is on its port + 1000
# (9080, 9081, 9082), which nginx does not route to; the probes are /livez and /readyz on its port.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
state="$root/.local"
mkdir -p "$state/logs"
pg_port="${OPTIK_PG_PORT:-5432}"
redis_port="${OPTIK_REDIS_PORT:-6379}"
api_port="${OPTIK_API_PORT:-8080}"
rt_ports="${OPTIK_RT_PORTS:-8081 8082}"
lb_port="${OPTIK_LB_PORT:-8000}"
with_nginx=0
export OPTIK_JWT_SECRET="${OPTIK_JWT_SECRET:-optik-melati-demo-secret-local-cluster-0123456789}"
export OPTIK_POSTGRES_URL="${OPTIK_POSTGRES_URL:-}"
export OPTIK_REDIS_URL="${OPTIK_REDIS_URL:-}"

say() { printf '[cluster] %s\n' "$*"; }
die() { printf '[cluster] ERROR: %s\n' "$*" >&2; exit 1; }

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

build() {
  say "building (first run downloads dependencies; a few minutes)"
  # Package without tests (the suite is the README's other command) and write each module's runtime
  # classpath; the realtime nodes run from jars, which an AOT cache needs (the jar plugin leaves a jar
  # whose classes did not change as it was, so a cache stays valid until the code changes).
  (cd "$root" && ./mvnw -q -B -ntp -pl testkit,api,realtime-node -am package -DskipTests \
      dependency:build-classpath -Dmdep.outputFile=target/runtime.classpath -DincludeScope=runtime 2>&1 \
      | tail -20) || die "build failed"
}

run_module() { # name module main-class args...
  local name="$1" module="$2" main="$3"; shift 3
  start_bg "$name" java -cp "$root/$module/target/classes:$(cat "$root/$module/target/runtime.classpath")" "$main" "$@"
}

# The realtime node's AOT cache (made by `aot`) and the java that made it.
aot_cache="$state/aot/realtime-node.aot"
aot_java_file="$state/aot/java"

realtime_classpath() {
  local jar
  jar=$(ls "$root"/realtime-node/target/realtime-node-*.jar | grep -v -- '-exec\.jar$' | head -1)
  printf '%s:%s' "$jar" "$(cat "$root/realtime-node/target/runtime.classpath")"
}

java_feature() { # the feature release of a java executable (17, 25, ...)
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p'
}

aot_java() { # the java of JAVA_HOME, else of PATH, when it is 25 or newer
  local j="${JAVA_HOME:+$JAVA_HOME/bin/}java" v
  v=$(java_feature "$j")
  [ "${v:-0}" -ge 25 ] 2>/dev/null || die "the AOT cache needs JDK 25 or newer, and $j is ${v:-missing}; \
set JAVA_HOME, e.g. JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 $0 aot"
  command -v "$j"
}

# Prints the options that start a realtime node: with the cache on its JDK while the cache fits the
# jars (the JVM itself checks), otherwise the plain ones, saying why.
realtime_java() {
  local cp j
  cp=$(realtime_classpath)
  if [ -f "$aot_cache" ] && [ -s "$aot_java_file" ]; then
    j=$(cat "$aot_java_file")
    if [ -x "$j" ] && "$j" -XX:AOTCache="$aot_cache" -XX:AOTMode=on -cp "$cp" -version >/dev/null 2>&1; then
      say "realtime nodes start with the AOT cache $aot_cache ($j)" >&2
      printf '%s\n' "$j" "-XX:AOTCache=$aot_cache" -cp "$cp"
      return
    fi
    say "the AOT cache $aot_cache no longer fits the realtime node's jars (the code changed); starting without it; \
run: $0 aot" >&2
  fi
  printf '%s\n' java -cp "$cp"
}

wait_healthy() { # name url seconds
  local deadline=$((SECONDS + $3))
  until curl -fsS "$2" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$1 did not become healthy; see $state/logs/$1.log"
    sleep 1
  done
  say "$1 healthy"
}

start_bg() { # name command...
  local name="$1"; shift
  setsid "$@" >"$state/logs/$name.log" 2>&1 < /dev/null &
  echo $! >>"$state/pids"
}

up() {
  [ ! -s "$state/pids" ] || die "a cluster seems to be running (see $state/pids); run: $0 down"
  for p in $api_port $rt_ports; do
    port_taken "$p" && die "port $p is already in use"
    port_taken $((p + 1000)) && die "port $((p + 1000)) (management of $p) is already in use"
  done
  local pg=-1 rd=-1
  if [ -z "$OPTIK_POSTGRES_URL" ]; then
    port_taken "$pg_port" && die "port $pg_port (PostgreSQL) is already in use; set OPTIK_PG_PORT or OPTIK_POSTGRES_URL"
    pg=$pg_port
    export OPTIK_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$pg_port/postgres"
  fi
  if [ -z "$OPTIK_REDIS_URL" ]; then
    port_taken "$redis_port" && die "port $redis_port (Redis) is already in use; set OPTIK_REDIS_PORT or OPTIK_REDIS_URL"
    rd=$redis_port
    export OPTIK_REDIS_URL="redis://127.0.0.1:$redis_port"
  fi
  build
  : >"$state/pids"
  if [ "$pg" != -1 ] || [ "$rd" != -1 ]; then
    run_module servers testkit id.optikmelati.testkit.LocalServers "$pg" "$rd" "$state/pgdata"
    local deadline=$((SECONDS + 120))
    until grep -qs READY "$state/logs/servers.log"; do
      grep -qs ERROR "$state/logs/servers.log" && die "$(grep ERROR "$state/logs/servers.log")"
      [ $SECONDS -lt $deadline ] || die "embedded servers did not start; see $state/logs/servers.log"
      sleep 1
    done
    say "PostgreSQL and Redis up"
  fi
  rt_urls=$(for p in $rt_ports; do printf '//{host}:%s,' "$p"; done)
  [ $with_nginx = 1 ] && rt_urls="," # behind the balancer pages open their streams on their own origin
  run_module api api id.optikmelati.api.ApiApplication --server.port="$api_port" \
    --management.server.port=$((api_port + 1000)) --spring.profiles.active=demo --optik.web.realtime-urls="${rt_urls%,}"
  wait_healthy api "http://127.0.0.1:$api_port/readyz" 180
  local -a rt_java
  mapfile -t rt_java < <(realtime_java)
  for p in $rt_ports; do
    start_bg "realtime-$p" "${rt_java[@]}" id.optikmelati.realtime.RealtimeApplication \
      --server.port="$p" --management.server.port=$((p + 1000)) --spring.profiles.active=demo \
      --optik.realtime.cors-origins="http://localhost:$api_port,http://127.0.0.1:$api_port"
  done
  for p in $rt_ports; do wait_healthy "realtime-$p" "http://127.0.0.1:$p/readyz" 120; done
  local web="http://localhost:$api_port"
  if [ $with_nginx = 1 ]; then
    start_nginx
    web="http://localhost:$lb_port"
  fi
  cat <<MSG

Optik Melati is running.
  Web UI:         $web   (log in below; open a second tab to sell and watch the first)
  API:            http://localhost:$api_port/api
  Actuator:       http://localhost:$((api_port + 1000))/actuator/health and /actuator/prometheus (each node: its port + 1000)
  Realtime nodes: $(for p in $rt_ports; do printf 'http://localhost:%s/realtime/dashboard  ' "$p"; done)
  Demo logins (password melati-demo): superadmin, admin1 (branch 1), kasir1 (branch 1), kasir2 (branch 2)
  Try:  curl -s -X POST localhost:$api_port/api/auth/token -H 'Content-Type: application/json' \\
          -d '{"username":"kasir1","password":"melati-demo"}'
  Logs: $state/logs
MSG
}

start_nginx() {
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || die "nginx not found; install Debian's nginx"
  port_taken "$lb_port" && die "port $lb_port (nginx) is already in use; set OPTIK_LB_PORT"
  local prefix="$state/nginx" servers_api servers_rt
  mkdir -p "$prefix"/tmp/{body,proxy,fastcgi,uwsgi,scgi}
  servers_api="server 127.0.0.1:$api_port max_fails=2 fail_timeout=10s;"
  servers_rt=$(for p in $rt_ports; do printf 'server 127.0.0.1:%s max_fails=2 fail_timeout=10s; ' "$p"; done)
  sed -e "s|\${PREFIX}|$prefix|g" -e "s|\${LISTEN}|127.0.0.1:$lb_port; listen [::1]:$lb_port|g" \
      -e "s|\${API_SERVERS}|$servers_api|g" -e "s|\${REALTIME_SERVERS}|$servers_rt|g" \
      "$root/infra/nginx/optik.conf.template" >"$prefix/nginx.conf"
  start_bg nginx "$(command -v nginx || echo /usr/sbin/nginx)" -p "$prefix" -c "$prefix/nginx.conf" -g "daemon off;"
  wait_healthy nginx "http://127.0.0.1:$lb_port/readyz" 30
}

down() {
  [ -s "$state/pids" ] || { say "nothing running"; return 0; }
  # realtime nodes and API first (they drain), servers last
  tac "$state/pids" | while read -r pid; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 30); do
    alive=0
    while read -r pid; do kill -0 "$pid" 2>/dev/null && alive=1; done <"$state/pids"
    [ $alive = 0 ] && break
    sleep 1
  done
  rm -f "$state/pids"
  say "stopped"
}

# A training run: a realtime node started with -XX:AOTCacheOutput against the running cluster's Redis
# warms up through its whole stream path on the demo branches (new streams and resumed ones) and exits;
# the JVM writes the cache as it exits.
aot() {
  local j started=0 port cp
  j=$(aot_java)
  if [ ! -s "$state/pids" ]; then
    up
    started=1
  fi
  port=$(( ${rt_ports##* } + 10 ))
  port_taken "$port" && die "port $port (the training run's) is already in use"
  cp=$(realtime_classpath)
  mkdir -p "$state/aot"
  rm -f "$aot_cache" "$aot_java_file"
  say "training run on $port ($j); the cache goes to $aot_cache"
  if "$j" -XX:AOTCacheOutput="$aot_cache" -cp "$cp" id.optikmelati.realtime.RealtimeApplication \
      --server.port="$port" --management.server.port=$((port + 1000)) --spring.profiles.active=demo \
      --optik.realtime.training-run=true >"$state/logs/aot-training.log" 2>&1 && [ -s "$aot_cache" ]; then
    echo "$j" >"$aot_java_file"
    say "AOT cache recorded ($(du -h "$aot_cache" | cut -f1)); the next up starts the realtime nodes with it"
  else
    rm -f "$aot_cache"
    say "the training run failed; see $state/logs/aot-training.log" >&2
  fi
  [ $started = 0 ] || down
  [ -s "$aot_cache" ]
}

case "${1:-}" in
  aot) aot ;;
  up)
    shift
    detach=0
    for arg in "$@"; do
      case "$arg" in
        --detach) detach=1 ;;
        --with-nginx) with_nginx=1 ;;
        *) die "unknown option $arg" ;;
      esac
    done
    if [ $detach = 1 ]; then
      up
    else
      trap 'down; exit 0' INT TERM
      up
      say "running in the foreground; Ctrl-C stops everything"
      while true; do sleep 3600 & wait $!; done
    fi
    ;;
  down) down ;;
  *) echo "usage: $0 up [--detach] [--with-nginx] | down | aot" >&2; exit 2 ;;
esac
