"""README's Python example (section "Use it from CI or a program"): a program with the official kubernetes client
that creates a session, waits for it (failing on Failed), uses it and releases it. README shows the lines between
the markers; ProgramExamplesTest compiles this file and checks that README has those lines. It is not run by the
build: the client watches over a streamed HTTP response, which the mock API server does not serve.

usage: python3 session_example.py NAMESPACE NAME   (KUBECONFIG, or in a pod its service account)
"""
import base64
import sys

from kubernetes import client, config, watch

GROUP, VERSION, PLURAL = "browsers.dev", "v1alpha1", "browsersessions"


def with_session(api, namespace, name, use_browser):
    # README:begin
    sessions = client.CustomObjectsApi(api)
    sessions.create_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, {
        "apiVersion": "browsers.dev/v1alpha1",
        "kind": "BrowserSession",
        "metadata": {"name": name},
        "spec": {"timeout": "10m"},
    })
    try:
        status = {}
        for event in watch.Watch().stream(
                sessions.list_namespaced_custom_object, GROUP, VERSION, namespace, PLURAL,
                field_selector=f"metadata.name={name}", timeout_seconds=180):
            status = event["object"].get("status") or {}
            if status.get("phase") in ("Live", "Failed", "Released"):
                break
        if status.get("phase") != "Live":
            raise RuntimeError(f"session {name} is {status.get('phase', 'not Live after 180 s')}: "
                               f"{status.get('reason')}: {status.get('message')}")
        secret = client.CoreV1Api(api).read_namespaced_secret(f"{name}-connection", namespace)
        cdp_url = base64.b64decode(secret.data["websocketUrl"]).decode()
        use_browser(cdp_url)  # e.g. Playwright for Python: p.chromium.connect_over_cdp(cdp_url)
    finally:
        sessions.patch_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, name,
                                                {"spec": {"released": True}})
    # README:end


if __name__ == "__main__":
    config.load_kube_config()
    with_session(client.ApiClient(), sys.argv[1], sys.argv[2], lambda url: print("connected:", url.split("?")[0]))
