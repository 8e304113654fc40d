#!/usr/bin/env bash
# Starts the whole Optik Melati system locally on a machine that has only a JDK:
# embedded PostgreSQL and Redis (real servers), one API node and two realtime nodes, with demo data.
#
#   infra/local/cluster.sh up            foreground; Ctrl-C stops everything it started
#   infra/local/cluster.sh up --detach   returns once every node is healthy
#   infra/local/cluster.sh down          stops a detached cluster
#   ... up --with-nginx [--detach]       also puts Debian's nginx in front (infra/nginx), one public
#                                        port OPTIK_LB_PORT (8000) for the UI, the API and the streams
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
  # Compile and write each module's runtime classpath; the nodes run from it (no packaging, and the
  # test suite is the README's other command, ./mvnw verify).
  (cd "$root" && ./mvnw -q -B -ntp -pl testkit,api,realtime-node -am compile \
      dependency:build-classpath -Dmdep.outputFile=target/runtime.classpath -DincludeScope=runtime 2>&1 \
      | tail -20) || die "build failed"
}

run_module() { # name module main-class args...
  local name="$1" module="$2" main="$3"; shift 3
  start_bg "$name" java -cp "$root/$module/target/classes:$(cat "$root/$module/target/runtime.classpath")" "$main" "$@"
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
  for p in $rt_ports; do
    run_module "realtime-$p" realtime-node id.optikmelati.realtime.RealtimeApplication \
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

case "${1:-}" in
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
  *) echo "usage: $0 up [--detach] [--with-nginx] | down" >&2; exit 2 ;;
esac
