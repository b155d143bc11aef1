package dev.browsers.operator.local;

import dev.browsers.operator.config.OperatorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Chromium local mode runs, checked once at start-up: the binary must be there, and Chromium's sandbox is used
 * when this machine allows it. Chromium refuses its sandbox to root, and for other users needs unprivileged user
 * namespaces (or a setuid helper), which some systems turn off; whether it can is found out by starting it once.
 */
final class LocalChromium {
    static final String NO_SANDBOX = "--no-sandbox";
    static final String INSTALL_HINT = "On Debian: sudo apt-get install -y chromium-headless-shell. Elsewhere: npx "
            + "@puppeteer/browsers install chrome-headless-shell@stable, then set BROWSER_OPERATOR_LOCAL_CHROMIUM to the "
            + "binary it names.";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);
    private static final int MAX_REASON = 400;

    private final String binary;
    private final boolean sandboxed;
    private final String why;

    private LocalChromium(String binary, boolean sandboxed, String why) {
        this.binary = binary;
        this.sandboxed = sandboxed;
        this.why = why;
    }

    /** Checks the binary and settles the sandbox; refuses, saying what to do, when local mode cannot run. */
    static LocalChromium check(OperatorConfig.Local config) {
        String binary = config.chromium();
        Path path = Path.of(binary);
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new IllegalStateException("Refusing to start in local mode: no Chromium binary at " + binary
                    + " (browser-operator.local.chromium, BROWSER_OPERATOR_LOCAL_CHROMIUM). " + INSTALL_HINT);
        }
        if (config.sandbox() == OperatorConfig.Sandbox.off) {
            return new LocalChromium(binary, false, "browser-operator.local.sandbox=off");
        }
        Optional<String> failure = sandboxFailure(binary);
        if (failure.isEmpty()) {
            return new LocalChromium(binary, true, null);
        }
        if (config.sandbox() == OperatorConfig.Sandbox.on) {
            throw new IllegalStateException("Refusing to start in local mode: browser-operator.local.sandbox=on, but "
                    + binary + " cannot start with its sandbox here: " + failure.get());
        }
        return new LocalChromium(binary, false, failure.get());
    }

    /** Starts Chromium with its sandbox on a blank page; empty when it worked, else why not, in Chromium's words. */
    private static Optional<String> sandboxFailure(String binary) {
        Path profile = null;
        Process probe = null;
        try {
            profile = Files.createTempDirectory("browser-sandbox-probe-");
            probe = new ProcessBuilder(
                            binary,
                            "--headless",
                            "--disable-gpu",
                            "--no-first-run",
                            "--user-data-dir=" + profile,
                            "--dump-dom",
                            "about:blank")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Process started = probe;
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(started));
            if (!probe.waitFor(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.of("Chromium did not finish a blank page within " + PROBE_TIMEOUT.toSeconds() + " s");
            }
            if (probe.exitValue() == 0) {
                return Optional.empty();
            }
            return Optional.of(reason(stderr.get(5, TimeUnit.SECONDS), probe.exitValue()));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Optional.of("cannot start Chromium to try its sandbox: " + e);
        } finally {
            if (probe != null) {
                probe.descendants().forEach(ProcessHandle::destroyForcibly);
                probe.destroyForcibly();
            }
            if (profile != null) {
                ChromiumProcess.deleteRecursively(profile);
            }
        }
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Chromium's last word on the sandbox, without its log prefix; else its last line. */
    static String reason(String stderr, int exitCode) {
        List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
        String line = lines.stream()
                .filter(l -> l.toLowerCase().contains("sandbox"))
                .reduce((first, second) -> second)
                .orElse(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
        String text = line.replaceFirst("^\\[[^\\]]*\\]\\s*", "").trim();
        if (text.length() > MAX_REASON) {
            text = text.substring(0, MAX_REASON) + "…";
        }
        return text.isEmpty() ? "Chromium exited with code " + exitCode : text;
    }

    String binary() {
        return binary;
    }

    /** A browser class's flags with the sandbox switch as settled here. */
    List<String> flags(List<String> classFlags) {
        List<String> flags = new ArrayList<>(
                classFlags.stream().filter(f -> !f.equals(NO_SANDBOX)).toList());
        if (!sandboxed) {
            flags.add(NO_SANDBOX);
        }
        return flags;
    }

    /** For the start-up log. */
    String describe() {
        return sandboxed
                ? binary + ", with its sandbox"
                : binary + ", without its sandbox (" + NO_SANDBOX + "): " + why.replaceFirst("\\.$", "")
                        + ". A hostile page that broke into its renderer would have all of this user's rights.";
    }
}
