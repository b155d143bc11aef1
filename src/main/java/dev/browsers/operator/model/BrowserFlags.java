package dev.browsers.operator.model;

import java.util.List;

/**
 * The Chromium flags every session browser runs with, whatever its browser class: what the pod's restricted security
 * profile and the agent need. A class's own flags come after these, as additions; the ones the operator owns (where
 * CDP listens, the profile directory) no class may set.
 */
public final class BrowserFlags {
    /** The profile directory: under /tmp, the one place in the browser container its user can write to. */
    public static final String PROFILE_DIR = "/tmp/profile";

    /**
     * Chromium's sandbox needs namespaces or setuid, which a container without capabilities, without privilege
     * escalation and under the RuntimeDefault seccomp profile does not get: it would exit "No usable sandbox!". The
     * pod is the sandbox.
     */
    public static final String NO_SANDBOX = "--no-sandbox";

    /**
     * Flag names a class may not set: the operator binds CDP to the pod's loopback, where only the agent reaches it,
     * and gives the browser its profile directory. Chromium takes the last of repeated flags, so a class setting these
     * could open CDP to the network without the session token.
     */
    public static final List<String> OPERATOR_OWNED =
            List.of("remote-debugging-address", "remote-debugging-port", "remote-debugging-pipe", "user-data-dir");

    /**
     * The pod mounts no volume over /dev/shm, which is then the runtime's 64 MiB: Chromium keeps its shared memory files
     * in /tmp instead, or large pages and screenshots would crash it.
     */
    public static final String NO_DEV_SHM = "--disable-dev-shm-usage";

    private BrowserFlags() {}

    /** The flags the operator always gives a session browser, before the class's own. */
    public static List<String> required() {
        return List.of(
                "--headless",
                NO_SANDBOX,
                NO_DEV_SHM,
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=" + AgentContract.BROWSER_CDP_PORT,
                "--user-data-dir=" + PROFILE_DIR);
    }

    /** True for a flag only the operator may set, in any spelling Chromium reads: --name, -name, with =value or not. */
    public static boolean ownedByOperator(String flag) {
        String switchText = flag.strip();
        if (!switchText.startsWith("-")) {
            return false;
        }
        switchText = switchText.substring(switchText.startsWith("--") ? 2 : 1);
        int equals = switchText.indexOf('=');
        return OPERATOR_OWNED.contains(equals < 0 ? switchText : switchText.substring(0, equals));
    }
}
