#!/usr/bin/env bash
# Writes APP_DIR/agent/agent.jsa, the session agent's class data sharing archive (AppCDS, JDK 17 dynamic archive):
# the classes its start and its first requests load, parsed and verified once, so that the agent JVM in every
# session pod maps them instead of loading them from the jars (a few hundred ms less to listening).
#
# usage: agent-cds-archive.sh APP_DIR [JAVA]
#   APP_DIR  holds agent/ (target/quarkus-app in the build, /deployments in the image)
#   JAVA     the JVM to write it with (default: java on the PATH)
#
# An archive serves only the JVM build that wrote it, and only with the class path spelled as here (agent/*, relative
# to APP_DIR, which is the agent container's working directory). Any other JVM ignores it and starts as it would
# without, still with the JDK's own archive. So the image build runs this again with the image's JVM
# (src/main/docker/Dockerfile.jvm), and the Maven build runs it with -Dagent.cds.java, default the build's JVM.
set -euo pipefail

[[ $# -ge 1 && $# -le 2 ]] || { sed -n '5,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
cd "$1"
java=${2:-java}
archive=agent/agent.jsa
rm -f "$archive"

# One request, answered or refused, read to the end (Connection: close); bash's /dev/tcp, since images have no curl.
request() { # PORT REQUEST_LINES
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf '%s\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
  timeout 10 cat <&3 >/dev/null || true
  exec 3<&-
}

for attempt in 1 2 3 4 5; do
  # No browser listens on BROWSER_CDP_PORT: the agent's paths to it run and fail, which loads their classes too.
  port=$((20000 + RANDOM % 40000))
  SESSION_TOKEN=cds-training AGENT_PORT=$port BROWSER_CDP_PORT=$((port + 1)) \
    "$java" -XX:ArchiveClassesAtExit="$archive" -Xmx64m -XX:+UseSerialGC -cp 'agent/*' \
    dev.browsers.operator.agent.AgentMain >agent-cds.log 2>&1 &
  pid=$!
  for _ in $(seq 300); do
    kill -0 "$pid" 2>/dev/null || break # exited: the port was taken, say; try another one
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      request "$port" 'GET /ready HTTP/1.1'
      request "$port" 'GET /json/version HTTP/1.1'
      request "$port" $'GET /json/version HTTP/1.1\r\nAuthorization: Bearer cds-training'
      request "$port" $'GET /devtools/browser?token=cds-training HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13'
      # The JVM writes the archive as it exits, SIGTERM included.
      kill -TERM "$pid"
      wait "$pid" || true
      if [[ -s $archive ]]; then
        rm -f agent-cds.log
        echo "agent-cds-archive: wrote $PWD/$archive ($(du -k "$archive" | cut -f1) KiB) with $("$java" -version 2>&1 | sed -n 2p)"
        exit 0
      fi
      break
    fi
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null && wait "$pid" || true
done
echo "agent-cds-archive: no archive written; the agent's output:" >&2
cat agent-cds.log >&2
exit 1
