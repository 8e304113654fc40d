#!/usr/bin/env bash
# The benchmark: SSE fan-out on one realtime node vs Nchan, sale-to-screen end to end, a reconnect
# wave. Builds what it needs (compile only), then runs the nodes and the NIO load client on the
# newest JDK. Options are system properties (see load-tests/README.md), e.g.
#   load-tests/bench.sh -Dbench.scenarios=fanout,nchan -Dbench.connections=1000,5000
#   load-tests/bench.sh --quick      the headline questions in about 15 minutes (properties may follow)
# Nchan needs Debian's nginx and libnginx-mod-nchan.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
command="load-tests/bench.sh $*"
preset=()
if [ "${1:-}" = "--quick" ]; then
  shift
  # Fan-out at 5,000 streams, three alternating rounds after 45 s of warm-up (a node up for a minute,
  # not a fully compiled one), 10,000 idle streams, one wave each, one max-rate step each.
  preset=(-Dbench.scenarios=fanout,nchan,memory,wave,maxrate -Dbench.connections=5000 -Dbench.rounds=3
    -Dbench.seconds=15 -Dbench.warmup=45 -Dbench.warmup.max=45 -Dbench.wave.rounds=1 -Dbench.maxrate.step=200)
fi
java_home="${OPTIK_BENCH_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$java_home/bin/java" ] || java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
cd "$root"
./mvnw -q -B -ntp -pl load-tests,api,realtime-node -am compile \
  dependency:build-classpath -Dmdep.outputFile=target/runtime.classpath -DincludeScope=runtime
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# io.lettuce.core.iouring=false: Gatling brings Netty's io_uring classes, so Lettuce would set
# io_uring socket options on the epoll channels Netty gives it, with a warning for each.
exec "$java_home/bin/java" -Xmx2g -XX:+UseSerialGC -Dio.lettuce.core.iouring=false -Djava.awt.headless=true -Dbench.root="$root" -Dbench.java="$java_home" \
  -Dbench.command="$command" "${preset[@]}" "$@" \
  -cp "load-tests/target/classes:$(cat load-tests/target/runtime.classpath)" id.optikmelati.bench.Bench
