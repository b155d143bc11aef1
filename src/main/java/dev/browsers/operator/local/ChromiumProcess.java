package dev.browsers.operator.local;

import dev.browsers.operator.agent.DevToolsPipe;
import dev.browsers.operator.model.BrowserFlags;
import java.io.BufferedReader;
import java.io.Closeable;
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
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local headless Chromium with a fresh profile directory, reached over its DevTools pipe, which this process holds,
 * as local mode runs session browsers. The browser has no CDP port, and it exits when the pipe closes, which the
 * kernel does when this process dies however it dies, so no browser outlives the operator, not even one killed with
 * SIGKILL.
 */
public final class ChromiumProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChromiumProcess.class);
    /**
     * Java starts a child with fds 0-2 only: the shell moves the process's stdin and stdout to fds 3 and 4, where
     * {@code --remote-debugging-pipe} expects them, and replaces itself with Chromium.
     */
    private static final String PIPE_LAUNCHER = "exec \"$0\" \"$@\" 3<&0 4>&1 0</dev/null 1>/dev/null";

    /** How long a killed Chromium may take to be gone before its profile is removed anyway. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

    private final Process process;
    private final Path profileDir;

    private ChromiumProcess(Process process, Path profileDir) {
        this.process = process;
        this.profileDir = profileDir;
    }

    /**
     * Starts Chromium with CDP on its DevTools pipe only; whether it answers is for the pipe's user to ask.
     *
     * @param flags Chromium flags; any CDP address, port or profile flag among them is replaced
     */
    public static ChromiumProcess start(String binary, List<String> flags) throws IOException {
        if (!Files.isExecutable(Path.of(binary))) {
            throw new IOException("Chromium binary " + binary + " is not an executable file");
        }
        Path profile = Files.createTempDirectory("browser-session-");
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", PIPE_LAUNCHER, binary));
        command.addAll(browserFlags(flags, profile));
        command.add("--remote-debugging-pipe");
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            deleteRecursively(profile);
            throw e;
        }
        drainStderr(process);
        return new ChromiumProcess(process, profile);
    }

    private static List<String> browserFlags(List<String> flags, Path profile) {
        List<String> kept = new ArrayList<>();
        flags.stream().filter(f -> !BrowserFlags.ownedByOperator(f)).forEach(kept::add);
        kept.add("--user-data-dir=" + profile);
        return kept;
    }

    /** Reads stderr to the end on a thread of its own, so Chromium never blocks on a full pipe. */
    private static void drainStderr(Process process) {
        Thread reader = new Thread(() -> readStderr(process), "chromium-stderr-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    private static void readStderr(Process process) {
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                LOG.trace("chromium[{}]: {}", process.pid(), line);
            }
        } catch (IOException e) {
            LOG.trace("chromium[{}] stderr closed: {}", process.pid(), e.getMessage());
        }
    }

    /** The browser's DevTools pipe, when started with one; its streams are closed by {@link #close()}. */
    public DevToolsPipe pipe() {
        return new DevToolsPipe(process.getInputStream(), process.getOutputStream());
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

    /** Kills Chromium and all its helper processes, then closes its pipe and removes the profile directory. */
    @Override
    public void close() {
        // Helpers are found while Chromium still runs: once it exits they are orphans, no longer its descendants.
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        // SIGKILL: the profile is deleted next, so Chromium has nothing worth saving, and its orderly exit on SIGTERM
        // took up to 2 s a browser.
        all.forEach(ProcessHandle::destroyForcibly);
        // A killed process runs no more code; only the main one, this process's child, is waited for (the JDK reaps
        // it). The helpers are reaped by init, which in some containers looks only every second or two.
        try {
            process.onExit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("Chromium {} still there {} after SIGKILL", process.pid(), EXIT_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(process.getOutputStream());
        closeQuietly(process.getInputStream());
        deleteRecursively(profileDir);
    }

    private static void closeQuietly(Closeable stream) {
        try {
            stream.close();
        } catch (IOException e) {
            LOG.trace("closing a stream of an exited Chromium: {}", e.getMessage());
        }
    }

    static void deleteRecursively(Path dir) {
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
