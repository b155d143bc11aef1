package dev.browsers.operator.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What tests and benchmarks need to run and watch processes of their own. */
public final class Processes {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Processes() {}

    /**
     * A port nothing listens on right now, for a process that cannot be given port 0. Taken below the kernel's
     * ephemeral range (32768 and up here), so that no outgoing connection made in between can take it before the
     * process binds it.
     */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + RANDOM.nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // Another listener has it: try another.
            }
        }
        throw new IOException("no free port found between 20000 and 32000 in 200 attempts");
    }

    /**
     * The TCP ports these processes listen on: their socket descriptors matched with the kernel's LISTEN sockets
     * (state 0A in /proc/net/tcp and tcp6).
     */
    public static Set<Integer> listeningTcpPorts(Collection<ProcessHandle> processes) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (ProcessHandle p : processes) {
            Path fdDir = Path.of("/proc/" + p.pid() + "/fd");
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
                for (Path fd : fds) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring("socket:[".length(), target.length() - 1));
                        }
                    } catch (IOException closedMeanwhile) {
                        // the descriptor was closed while listing: it is no socket of interest
                    }
                }
            } catch (NoSuchFileException exited) {
                // the process exited meanwhile: it listens on nothing
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line :
                    Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
                String[] columns = line.trim().split("\\s+");
                if (columns[3].equals("0A") && inodes.contains(columns[9])) {
                    String local = columns[1];
                    ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    /**
     * A kB line of /proc/PID/FILE (e.g. status VmRSS, smaps_rollup Pss) in KiB; 0 once the process has exited.
     */
    public static long memoryKib(long pid, String file, String field) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/" + file)).stream()
                    .filter(line -> line.startsWith(field + ":"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                    .findFirst()
                    .orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
