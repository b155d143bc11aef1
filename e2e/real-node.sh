#!/usr/bin/env bash
# End to end on a real single-node Kubernetes (kube-apiserver, scheduler, controller-manager, a kubelet with containerd
# and runc), brought up by the kube-local toolkit: builds the cluster jar and both images, runs the operator against
# the node, and checks what a session goes through. Prints the timings. Not part of CI: it needs root and the toolkit,
# and takes a few minutes.
#
# usage: KUBE_LOCAL_TOOLKIT=/path/to/kube-local e2e/real-node.sh
#
#   KUBE_LOCAL_TOOLKIT   required: the toolkit's directory, with up.sh, images.sh, operator.sh and down.sh
#   KUBE_LOCAL_DIR       the toolkit's state directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/kube-local)
#   E2E_MAX_MESSAGE_MIB  the agent's largest CDP message, browser-operator.agent.max-message-size (default 64):
#                        screenshots up to it must pass, one of 1.5 times it must close only its connection
#   E2E_SKIP_BUILD=1     use target/quarkus-app as it is
#   E2E_KEEP=1           leave the cluster and the operator running at the end (stop them with the toolkit's
#                        operator.sh stop and down.sh)
#
# Checks: create -> Live with the default class (the project's browser image); CDP through the agent with the session
# token (puppeteer-core, playwright-core); no way in without it; the agent takes the deadline; timeout -> Released,
# durationSeconds within the timeout, pod gone; a class with its own args keeps --no-sandbox and runs; release ->
# Released, pod gone; a crashed browser -> Failed (BrowserCrashed); screenshots up to the largest message pass
# through the agent and one of 1.5 times it closes only its connection, the agent never OOM-killed (its peak memory
# printed). Any failed check ends the script with exit status 1 and says which.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NS=e2e-real-node
MAX_MESSAGE_MIB=${E2E_MAX_MESSAGE_MIB:-64}
OVERSIZE_MIB=$((MAX_MESSAGE_MIB * 3 / 2))

log() { printf '[e2e %s] %s\n' "$(date +%T.%3N)" "$*"; }
fail() {
  printf '[e2e] FAILED: %s\n' "$*" >&2
  exit 1
}
now_ms() { date +%s%3N; }
ms_of() { date -d "$1" +%s%3N; } # RFC 3339 -> milliseconds since the epoch

[[ -n ${KUBE_LOCAL_TOOLKIT:-} ]] || fail "KUBE_LOCAL_TOOLKIT is not set: point it at the kube-local toolkit's directory \
(the one with up.sh, images.sh, operator.sh and down.sh)"
for script in up.sh images.sh operator.sh down.sh; do
  [[ -x $KUBE_LOCAL_TOOLKIT/$script ]] || fail "KUBE_LOCAL_TOOLKIT=$KUBE_LOCAL_TOOLKIT has no executable $script"
done
[[ $(id -u) == 0 ]] || fail "the toolkit runs a kubelet and containerd: run this as root"
command -v node >/dev/null || fail "node (20+) is needed for puppeteer-core"
KL_DIR=${KUBE_LOCAL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-local}
export KUBECONFIG=$KL_DIR/kubeconfig PATH=$KL_DIR/bin:$PATH
kube() { kubectl -n "$NS" "$@"; }

cleanup() {
  local status=$?
  if [[ ${E2E_KEEP:-0} == 1 ]]; then
    log "E2E_KEEP=1: the cluster and the operator keep running (KUBECONFIG=$KUBECONFIG)"
  else
    "$KUBE_LOCAL_TOOLKIT/operator.sh" stop >/dev/null 2>&1 || true
    "$KUBE_LOCAL_TOOLKIT/down.sh" >/dev/null 2>&1 || true
  fi
  exit "$status"
}

status_of() { kube get bs "$1" -o jsonpath='{.status.phase}/{.status.reason}: {.status.message}' 2>&1; }
field() { kube get bs "$1" -o jsonpath="{.status.$2}"; }

wait_phase() { # SESSION PHASE SECONDS
  local deadline=$((SECONDS + $3)) phase
  while true; do
    phase=$(field "$1" phase)
    [[ $phase == "$2" ]] && return 0
    [[ $phase == Failed || $phase == Released ]] && fail "session $1 is $(status_of "$1"), not $2"
    ((SECONDS < deadline)) || fail "session $1 is not $2 within $3 s: $(status_of "$1")"
    sleep 0.1
  done
}

create_session() { # NAME TIMEOUT [BROWSER_CLASS]
  kube create -f - >/dev/null <<EOF
apiVersion: browsers.dev/v1alpha1
kind: BrowserSession
metadata: {name: $1}
spec: {timeout: $2${3:+, browserClassName: $3}}
EOF
}

# The agent container's peak memory as its cgroup counts it (v1 or v2), and the JVM's peak resident set.
agent_memory() { # POD
  kube exec "$1" -c agent -- sh -c 'cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes 2>/dev/null ||
      cat /sys/fs/cgroup/memory.peak; grep VmHWM /proc/1/status' |
    awk 'NR == 1 {printf "cgroup peak %.0f MiB, ", $1 / 1048576} /VmHWM/ {printf "JVM peak RSS %.0f MiB", $2 / 1024}'
}

duration_within() { # SESSION SECONDS
  local duration
  duration=$(field "$1" durationSeconds)
  awk -v d="$duration" -v max="$2" 'BEGIN {exit !(d != "" && d > 0 && d <= max)}' ||
    fail "session $1 has durationSeconds ${duration:-(none)}, not within its $2 s"
  echo "$duration"
}

websocket_url() { kube get secret "$1-connection" -o jsonpath='{.data.websocketUrl}' | base64 -d; }
client() { (cd "$ROOT/src/test/node" && node real-node.mjs "$@"); }

# --- build ---------------------------------------------------------------------------------------------------------
if [[ ${E2E_SKIP_BUILD:-0} != 1 ]]; then
  # The agent's class data sharing archive serves only the JVM build that wrote it: images.sh puts the JRE of its own
  # root filesystem in the image, so that JVM writes it (src/main/docker/agent-cds-archive.sh).
  image_java=$KL_DIR/rootfs/jre/usr/lib/jvm/java-17-openjdk-amd64/bin/java
  cds=()
  if [[ -x $image_java ]]; then
    cds=(-Dagent.cds.java="$image_java")
  else
    log "no $image_java (run the toolkit's build.sh): the agent's archive will not fit the image's JVM"
  fi
  log "building the cluster application (./mvnw package -Dcluster)"
  (cd "$ROOT" && ./mvnw -B -q package -Dcluster -DskipTests "${cds[@]}")
fi
if [[ ! -d $ROOT/src/test/node/node_modules/puppeteer-core ]]; then
  log "installing puppeteer-core (npm ci in src/test/node)"
  (cd "$ROOT/src/test/node" && PUPPETEER_SKIP_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# --- cluster, images, operator -------------------------------------------------------------------------------------
trap cleanup EXIT
# up.sh lists /run/netns to know which network namespaces were there before it; it must exist.
mkdir -p /run/netns
log "starting the cluster (up.sh --real-node)"
"$KUBE_LOCAL_TOOLKIT/up.sh" --real-node "$ROOT/crds/browsersessions.browsers.dev-v1.yml" >/dev/null
log "building and importing the images (images.sh)"
"$KUBE_LOCAL_TOOLKIT/images.sh" "$ROOT" | sed -n 's/^  export /  /p'
# shellcheck disable=SC1091
source "$KL_DIR/images/operator.env"
# A class with flags of its own and nothing of the defaults: the operator's flags (--no-sandbox) must stay. It names
# its image with that image's binary, as every class that names one does.
custom=browser-operator.browser-classes.custom
export OPERATOR_JAVA_OPTS="${OPERATOR_JAVA_OPTS:-} -D$custom.image=$BROWSER_OPERATOR_BROWSER_IMAGE \
-D$custom.command=$BROWSER_OPERATOR_BROWSER_COMMAND -D$custom.args=--lang=de-DE \
-Dbrowser-operator.agent.max-message-size=${MAX_MESSAGE_MIB}M"
log "starting the operator (operator.sh)"
"$KUBE_LOCAL_TOOLKIT/operator.sh" start "$ROOT" >/dev/null
kubectl create namespace "$NS" >/dev/null

# --- a session: Live, CDP with the token, none without, the deadline, timeout -> Released ------------------------------
log "session e2e-live (timeout 30s): create -> Live"
created=$(now_ms)
create_session e2e-live 30s
# A watch, so that the moment it is seen is not a polling interval late; a failure is told apart below.
kube wait --for=condition=Ready bs/e2e-live --timeout=120s >/dev/null 2>&1 || true
seen=$(now_ms)
wait_phase e2e-live Live 1
start_time=$(ms_of "$(field e2e-live startTime)")
live_time=$(ms_of "$(field e2e-live liveTime)")
expires_at=$(field e2e-live expiresAt)
pod_ip=$(kube get pod e2e-live-browser -o jsonpath='{.status.podIP}')
[[ -n $pod_ip ]] || fail "pod e2e-live-browser has no IP"
url=$(websocket_url e2e-live)
[[ $url == "ws://$pod_ip:9222/devtools/browser?token="* ]] || fail "the connection Secret's websocketUrl is $url"

log "CDP through the agent with the token (puppeteer-core)"
connect=$(client connect "$url") || fail "puppeteer-core could not drive the browser through the agent"
log "  $connect"
browser_image=$(kube get pod e2e-live-browser -o jsonpath='{.spec.containers[?(@.name=="browser")].image}')
[[ $browser_image == "$BROWSER_OPERATOR_BROWSER_IMAGE" ]] || fail "the default class runs $browser_image"
log "  the default class's image: $browser_image"
playwright=$(client playwright "$url") || fail "playwright-core could not drive the browser through the agent"
log "  playwright-core: $playwright"
refused=$(client refused "${url%%\?*}") || fail "the agent let a client in without the token"
log "  without the token: $refused"

log "the agent takes the session's deadline (pod annotation browsers.dev/expires-at)"
deadline=$((SECONDS + 10))
until [[ $(kube get pod e2e-live-browser -o jsonpath='{.metadata.annotations.browsers\.dev/expires-at}') == "$expires_at" ]]; do
  ((SECONDS < deadline)) || fail "the pod does not record that the agent took the deadline $expires_at"
  sleep 0.2
done
agent_rss=$(kube exec e2e-live-browser -c agent -- cat /proc/1/status | awk '/^VmRSS/ {printf "%.0f MiB", $2 / 1024}')
log "  agent RSS: $agent_rss"

log "waiting for the timeout (expiresAt $expires_at)"
wait_phase e2e-live Released 90
[[ $(field e2e-live reason) == Timeout ]] || fail "e2e-live ended as $(status_of e2e-live), not by its Timeout"
released_late=$(($(ms_of "$(field e2e-live finishedTime)") - $(ms_of "$expires_at")))
live_duration=$(duration_within e2e-live 30)
kube wait --for=delete pod/e2e-live-browser --timeout=120s >/dev/null || fail "the pod of e2e-live is still there"
pod_gone=$(($(now_ms) - $(ms_of "$expires_at")))

# --- a class with its own args; release ----------------------------------------------------------------------------
log "session e2e-custom (class custom, args --lang=de-DE): Live, --no-sandbox kept; release -> Released, pod gone"
create_session e2e-custom 5m custom
wait_phase e2e-custom Live 120
custom_args=$(kube get pod e2e-custom-browser -o jsonpath='{.spec.containers[?(@.name=="browser")].args}')
[[ $custom_args == *'"--no-sandbox"'* && $custom_args == *'"--lang=de-DE"'* ]] ||
  fail "the custom class's browser runs with $custom_args"
client connect "$(websocket_url e2e-custom)" >/dev/null || fail "could not drive the custom class's browser"
released=$(now_ms)
kube patch bs e2e-custom --type=merge -p '{"spec":{"released":true}}' >/dev/null
wait_phase e2e-custom Released 30
[[ $(field e2e-custom reason) == Released ]] || fail "e2e-custom ended as $(status_of e2e-custom), not Released"
release_ms=$(($(ms_of "$(field e2e-custom finishedTime)") - released))
custom_duration=$(duration_within e2e-custom 300)
kube wait --for=delete pod/e2e-custom-browser --timeout=120s >/dev/null || fail "the pod of e2e-custom is still there"
release_pod_gone=$(($(now_ms) - released))

# --- a crashed browser ---------------------------------------------------------------------------------------------
log "session e2e-crash: the browser crashes (CDP Browser.crash) -> Failed/BrowserCrashed"
create_session e2e-crash 5m
wait_phase e2e-crash Live 120
crashed=$(now_ms)
client crash "$(websocket_url e2e-crash)" >/dev/null || fail "could not crash the browser through the agent"
deadline=$((SECONDS + 60))
until [[ $(field e2e-crash phase) == Failed ]]; do
  ((SECONDS < deadline)) || fail "e2e-crash is $(status_of e2e-crash) 60 s after its browser crashed"
  sleep 0.1
done
[[ $(field e2e-crash reason) == BrowserCrashed ]] || fail "e2e-crash failed as $(status_of e2e-crash), not BrowserCrashed"
crash_failed=$(($(ms_of "$(field e2e-crash finishedTime)") - crashed))
kube wait --for=delete pod/e2e-crash-browser --timeout=120s >/dev/null || fail "the pod of e2e-crash is still there"

# --- the largest message ------------------------------------------------------------------------------------------
log "session e2e-big: screenshots of 1 to $MAX_MESSAGE_MIB MiB through the agent, then one of $OVERSIZE_MIB MiB"
create_session e2e-big 10m
wait_phase e2e-big Live 120
agent_idle=$(agent_memory e2e-big-browser)
# A little under the maximum: the CDP answer carries the PNG's base64 and a few bytes of JSON.
big=$(client screenshot "$(websocket_url e2e-big)" "$((MAX_MESSAGE_MIB - 1))") ||
  fail "screenshots up to $MAX_MESSAGE_MIB MiB did not all pass through the agent"
log "  $big"
largest=$(sed -n 's/.*"largestAnswerBytes":\([0-9]*\).*/\1/p' <<<"$big")
agent_big=$(agent_memory e2e-big-browser)
log "  agent after them: $agent_big"
oversize=$(client oversize "$(websocket_url e2e-big)" "$OVERSIZE_MIB") ||
  fail "a message of $OVERSIZE_MIB MiB did not close only its connection"
log "  $oversize"
kube logs e2e-big-browser -c agent | grep -q "over the limit of $((MAX_MESSAGE_MIB * 1024 * 1024)) bytes" ||
  fail "the agent's log does not say it closed the connection for the message over its limit"
[[ $(field e2e-big phase) == Live ]] || fail "e2e-big is $(status_of e2e-big) after the oversized message"
agent_state=$(kube get pod e2e-big-browser -o jsonpath='{.status.containerStatuses[?(@.name=="agent")].state}')
[[ $agent_state == *running* ]] || fail "the agent container is $agent_state"
agent_oversize=$(agent_memory e2e-big-browser)
log "  agent after the oversized one: $agent_oversize ($agent_state)"

cat <<EOF

e2e on the real node: PASSED
  create -> Live                           $((live_time - created)) ms (status.startTime -> liveTime $((live_time - start_time)) ms; a kubectl wait started with the create saw it after $((seen - created)) ms)
  CDP through the agent                    $connect
  playwright-core through the agent        $playwright
  without the token                        $refused
  agent RSS, idle                          $agent_rss
  deadline -> Released (Timeout)           $released_late ms, durationSeconds $live_duration (timeout 30 s)
  deadline -> pod gone                     $pod_gone ms
  class with own args                      --no-sandbox kept: $custom_args
  release -> Released                      $release_ms ms, durationSeconds $custom_duration; pod gone after $release_pod_gone ms
  Browser.crash -> Failed (BrowserCrashed) $crash_failed ms
  largest CDP answer through the agent     $largest bytes ($(awk -v b="$largest" 'BEGIN {printf "%.1f", b / 1048576}') MiB; limit $MAX_MESSAGE_MIB MiB)
  answer of 1.5 x the limit ($OVERSIZE_MIB MiB)   closed its connection only; the session stayed Live
  agent memory (limit 128Mi)               idle: $agent_idle; after screenshots: $agent_big; after the oversized one: $agent_oversize
EOF
