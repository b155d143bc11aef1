package dev.browsers.operator.local;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * The whole operator in local mode, as README's run command starts it: embedded API store, local Chromium; its data
 * directory a fresh one.
 */
public class LocalModeProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            return Map.of(
                    "browser-operator.mode", "local",
                    "quarkus.operator-sdk.crd.apply", "false",
                    "browser-operator.ttl-after-finished", "0",
                    "browser-operator.local.data-dir",
                            Files.createTempDirectory("local-mode-it-").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
