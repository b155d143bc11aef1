package dev.browsers.operator.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local headless Chromium with CDP on 127.0.0.1 and a fresh profile directory. The port is chosen by
 * Chromium itself (port 0) and read from its "DevTools listening on" line, so there is no port race.
 */
public final class ChromiumProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChromiumProcess.class);
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://[^:]+:(\\d+)(/devtools/browser/\\S+)");

    private final Process process;
    private final Path profileDir;
    private final int cdpPort;
    private final String browserPath;

    private ChromiumProcess(Process process, Path profileDir, int cdpPort, String browserPath) {
        this.process = process;
        this.profileDir = profileDir;
        this.cdpPort = cdpPort;
        this.browserPath = browserPath;
    }

    /**
     * Starts Chromium and waits until it listens for CDP.
     *
     * @param flags Chromium flags; any CDP address, port or profile flag among them is replaced
     */
    public static ChromiumProcess start(String binary, List<String> flags, Duration startupTimeout) throws IOException {
        Path profile = Files.createTempDirectory("browser-session-");
        List<String> command = new ArrayList<>();
        command.add(binary);
        flags.stream()
                .filter(f -> !f.startsWith("--remote-debugging-") && !f.startsWith("--user-data-dir"))
                .forEach(command::add);
        command.add("--remote-debugging-address=127.0.0.1");
        command.add("--remote-debugging-port=0");
        command.add("--user-data-dir=" + profile);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            deleteRecursively(profile);
            throw e;
        }
        CompletableFuture<Matcher> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> readStderr(process, listening), "chromium-stderr-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            Matcher m = listening.get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ChromiumProcess(process, profile, Integer.parseInt(m.group(1)), m.group(2));
        } catch (ExecutionException | TimeoutException e) {
            new ChromiumProcess(process, profile, -1, null).close();
            throw new IOException("Chromium did not start listening for CDP within " + startupTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            new ChromiumProcess(process, profile, -1, null).close();
            throw new IOException("interrupted while starting Chromium", e);
        }
    }

    /** Reads stderr to the end: finds the CDP line, then keeps draining so Chromium never blocks on a full pipe. */
    private static void readStderr(Process process, CompletableFuture<Matcher> listening) {
        try (BufferedReader err = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                Matcher m = LISTENING.matcher(line);
                if (!listening.isDone() && m.find()) {
                    listening.complete(m);
                } else {
                    LOG.trace("chromium[{}]: {}", process.pid(), line);
                }
            }
        } catch (IOException e) {
            LOG.trace("chromium[{}] stderr closed: {}", process.pid(), e.getMessage());
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

    /** The exit code once the process has exited (128 + signal when killed). */
    public int exitCode() {
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes when Chromium's main process exits, for whatever reason. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Kills Chromium and all its helper processes, then removes the profile directory. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        deleteRecursively(profileDir);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
