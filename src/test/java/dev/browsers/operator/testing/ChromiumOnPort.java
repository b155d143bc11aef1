package dev.browsers.operator.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A local Chromium serving CDP on a 127.0.0.1 port, as a session pod's browser container does: the browser the
 * agent's port-mode tests and benchmarks put the agent in front of. Chromium picks the port (port 0) and prints it
 * in its "DevTools listening on" line, so there is no port race.
 */
public final class ChromiumOnPort implements AutoCloseable {
    private static final Pattern LISTENING =
            Pattern.compile("DevTools listening on ws://[^:]+:(\\d+)(/devtools/browser/\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path profile;
    private final int cdpPort;
    private final String browserPath;

    private ChromiumOnPort(Process process, Path profile, int cdpPort, String browserPath) {
        this.process = process;
        this.profile = profile;
        this.cdpPort = cdpPort;
        this.browserPath = browserPath;
    }

    /** The configured binary with the default class's flags; returns once it listens for CDP. */
    public static ChromiumOnPort start() throws Exception {
        return start(List.of());
    }

    /** With these flags after the class's, as a session's own options add them. */
    public static ChromiumOnPort start(List<String> sessionFlags) throws Exception {
        Path profile = Files.createTempDirectory("browser-session-");
        List<String> command = new ArrayList<>(List.of(TestConfigs.chromiumBinary()));
        command.addAll(TestConfigs.chromiumFlags());
        command.addAll(sessionFlags);
        command.addAll(List.of(
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0"));
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        CompletableFuture<Matcher> listening = new CompletableFuture<>();
        Thread stderr = new Thread(() -> drain(process, listening), "chromium-stderr-" + process.pid());
        stderr.setDaemon(true);
        stderr.start();
        try {
            Matcher m = listening.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new ChromiumOnPort(process, profile, Integer.parseInt(m.group(1)), m.group(2));
        } catch (Exception e) {
            new ChromiumOnPort(process, profile, -1, null).close();
            throw e;
        }
    }

    /** Reads stderr to the end, so Chromium never blocks on a full pipe. */
    private static void drain(Process process, CompletableFuture<Matcher> listening) {
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    listening.complete(m);
                }
            }
        } catch (IOException closed) {
            // The browser is gone; the future below says so if it never listened.
        }
        listening.completeExceptionally(new IOException("Chromium exited before listening for CDP"));
    }

    public int cdpPort() {
        return cdpPort;
    }

    /** Path of the browser-level CDP WebSocket, e.g. /devtools/browser/&lt;id&gt;. */
    public String browserPath() {
        return browserPath;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Ends the browser and its helpers (found while it still runs), then removes its profile; again is a no-op. */
    @Override
    public void close() throws Exception {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            p.onExit().get(10, TimeUnit.SECONDS);
        }
        if (Files.exists(profile)) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
