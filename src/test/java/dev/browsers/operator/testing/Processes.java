package dev.browsers.operator.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** What tests and benchmarks need to run and watch processes of their own. */
public final class Processes {
    private Processes() {}

    /** A port nothing listens on right now, for a process that cannot be given port 0. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A kB line of /proc/PID/FILE (e.g. status VmRSS, smaps_rollup Pss) in KiB; 0 once the process has exited.
     */
    public static long memoryKib(long pid, String file, String field) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/" + file)).stream()
                    .filter(line -> line.startsWith(field + ":"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                    .findFirst().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
