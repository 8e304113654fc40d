#!/bin/sh
# The image's entrypoint: the node's jar, with the JDK's AOT cache when there is one. The image has it
# where its training run wrote it (infra/docker/Dockerfile); OPTIK_AOT_CACHE names another (a volume's).
# Without the file the JVM is started without the option: given a missing cache it would still start,
# but with errors in its log and without even the JDK's own class data.
set -eu
cache="${OPTIK_AOT_CACHE:-/app/aot/app.aot}"
if [ -f "$cache" ]; then
  exec java -XX:AOTCache="$cache" -jar /app/app.jar "$@"
fi
exec java -jar /app/app.jar "$@"
