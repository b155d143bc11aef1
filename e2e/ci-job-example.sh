#!/usr/bin/env bash
# deploy/examples/ci-job.yaml against a real API server: its ServiceAccount, Role and RoleBinding applied as they
# are, its script (from the ConfigMap, unchanged) run with a kubeconfig holding only that ServiceAccount's token, so
# the Role is what is tested, not the caller's rights. Runs twice: once to Live and released on exit, once in a
# namespace whose ResourceQuota refuses every pod, where the script must fail fast on Failed (StartupTimeout).
#
# usage: KUBECONFIG=... e2e/ci-job-example.sh
# Needs: an API server with the CRD, this project's operator reconciling every namespace with
# browser-operator.startup-timeout at most 20s (e.g. OPERATOR_JAVA_OPTS=-Dbrowser-operator.startup-timeout=15s
# cluster/operator.sh start .), a node or a fake kubelet that makes pods Ready, kubectl, sh and awk.
# The script's test step (npm + node) is replaced by a stand-in that checks it got a CDP URL: the Job's own image
# runs the real one.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
example="$here/../deploy/examples/ci-job.yaml"
work=$(mktemp -d)
# Namespaces of their own each run: an earlier run's may still be terminating.
live=ci-job-live-$$ refused=ci-job-refused-$$
trap 'rm -rf "$work"; kubectl delete ns "$live" "$refused" --ignore-not-found --wait=false >/dev/null' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# The manifests except the Job, whose image is an assumption of the example.
awk 'BEGIN{RS="\n---\n"} !/kind: Job/ {print; print "---"}' "$example" > "$work/rbac-and-script.yaml"
# The script exactly as the Job mounts it.
awk '/^  run.sh: \|/{f=1; next} /^  test.mjs: \|/{f=0} f{sub(/^    /, ""); print}' "$example" > "$work/run.sh"
[ -s "$work/run.sh" ] || fail "no run.sh in $example"
echo "// stand-in" > "$work/test.mjs"
mkdir -p "$work/bin"
cat > "$work/bin/npm" <<'EOF'
#!/bin/sh
exit 0
EOF
cat > "$work/bin/node" <<'EOF'
#!/bin/sh
case "$BROWSER_WS_ENDPOINT" in ws://*token=*) echo "test ran against $BROWSER_WS_ENDPOINT" | sed 's/token=[^&]*/token=***/' ;; *) echo "no CDP URL" >&2; exit 1 ;; esac
EOF
chmod +x "$work/bin/npm" "$work/bin/node"

# A kubeconfig for the example's ServiceAccount in namespace $1.
service_account_kubeconfig() {
  local ns=$1 secret token server ca
  for _ in $(seq 1 30); do
    secret=$(kubectl -n "$ns" get sa e2e-checkout -o jsonpath='{.secrets[0].name}' 2>/dev/null || true)
    [ -n "$secret" ] && break
    sleep 1
  done
  [ -n "$secret" ] || fail "no token Secret for ServiceAccount e2e-checkout in $ns"
  token=$(kubectl -n "$ns" get secret "$secret" -o jsonpath='{.data.token}' | base64 -d)
  server=$(kubectl config view --minify --raw -o jsonpath='{.clusters[0].cluster.server}')
  ca=$(kubectl config view --minify --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')
  cat > "$work/$ns.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "$server", certificate-authority-data: "$ca"}}]
users: [{name: e2e-checkout, user: {token: "$token"}}]
contexts: [{name: c, context: {cluster: c, user: e2e-checkout, namespace: "$ns"}}]
current-context: c
EOF
}

run_script() { # namespace -> exit code; output in $work/$ns.out
  local ns=$1 rc=0
  ( export KUBECONFIG="$work/$ns.kubeconfig" HOME="$work/home-$ns" PATH="$work/bin:$PATH" SESSION=e2e-checkout \
      SESSION_TIMEOUT=2m WAIT_SECONDS=90
    mkdir -p "$HOME"
    sh "$work/run.sh" ) > "$work/$ns.out" 2>&1 || rc=$?
  sed "s/^/  [$ns] /" "$work/$ns.out"
  return $rc
}

for ns in "$live" "$refused"; do
  kubectl create ns "$ns" >/dev/null
  kubectl -n "$ns" apply -f "$work/rbac-and-script.yaml" >/dev/null
  service_account_kubeconfig "$ns"
done
kubectl -n "$refused" create quota no-pods --hard=pods=0 >/dev/null

# The ServiceAccount reads its own connection Secret and no other.
other=$(KUBECONFIG="$work/$live.kubeconfig" kubectl auth can-i get secret/other-connection || true)
[ "$other" = no ] || fail "the example's ServiceAccount may read other Secrets"

start=$(date +%s%N)
run_script "$live" || fail "the job's script failed against a session that goes Live"
echo "live run: $(( ($(date +%s%N) - start) / 1000000 )) ms from start to exit"
grep -q "test ran against ws://" "$work/$live.out" || fail "the test step did not get the CDP URL"
released=$(kubectl -n "$live" get browsersession e2e-checkout -o jsonpath='{.spec.released}')
[ "$released" = true ] || fail "the script did not release its session on exit (spec.released=$released)"
phase=
for _ in $(seq 1 30); do
  phase=$(kubectl -n "$live" get browsersession e2e-checkout -o jsonpath='{.status.phase}/{.status.reason}')
  [ "$phase" = Released/Released ] && break
  sleep 1
done
[ "$phase" = Released/Released ] || fail "the released session is $phase, not Released/Released"
echo "live run: the session was released on exit: $phase"

start=$(date +%s%N)
if run_script "$refused"; then fail "the job's script succeeded in a namespace that refuses pods"; fi
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
grep -q "is Failed: StartupTimeout" "$work/$refused.out" || fail "the script did not report the Failed session"
echo "refused run: failed fast after $elapsed ms (the operator's startup timeout), saying why"
echo "PASS"
