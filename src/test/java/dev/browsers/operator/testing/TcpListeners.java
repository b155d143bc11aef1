package dev.browsers.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Which addresses this machine's processes listen on, as the kernel reports them (what {@code ss -ltn} shows). */
public final class TcpListeners {
    private static final String LISTEN = "0A";

    private TcpListeners() {}

    /** The local addresses of the sockets listening on a TCP port, from /proc/net/tcp and /proc/net/tcp6. */
    public static List<String> addresses(int port) {
        return Stream.of("/proc/net/tcp", "/proc/net/tcp6")
                .flatMap(file -> lines(Path.of(file)).stream().skip(1))
                .map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields[3].equals(LISTEN))
                .map(fields -> fields[1].split(":"))
                .filter(local -> Integer.parseInt(local[1], 16) == port)
                .map(local -> address(local[0]))
                .toList();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An address as the kernel writes it: 32-bit words, each in host (little-endian) byte order. */
    private static String address(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        for (int word = 0; word < bytes.length; word += 4) {
            for (int i = 0; i < 2; i++) {
                byte swap = bytes[word + i];
                bytes[word + i] = bytes[word + 3 - i];
                bytes[word + 3 - i] = swap;
            }
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(hex, e);
        }
    }
}
