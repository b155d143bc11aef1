package dev.browsers.operator.local;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The whole operator in local mode, as README's run command starts it: embedded API store, local Chromium. */
public class LocalModeProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "browser-operator.mode", "local",
                "quarkus.operator-sdk.crd.apply", "false",
                "browser-operator.ttl-after-finished", "0");
    }
}
