package dev.browsers.operator.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Pod IPs for local mode: addresses of the loopback network 127.0.0.0/8 (all of which reach this machine on
 * Linux), handed out in turn from 127.0.0.2, skipping those still in use, like a CNI's IP pool.
 */
final class LoopbackAddresses {
    /** How many addresses are tried before giving up; another program may hold the agent port on some. */
    static final int ATTEMPTS = 16;

    private static final int FIRST = (127 << 24) | 2;
    private static final int LAST = (127 << 24) | 0xFFFFFE;

    private final Set<Integer> inUse = new HashSet<>();
    private int next = FIRST;

    /** The next address whose {@code port} is free to listen on (checked by binding it), now taken by the caller. */
    synchronized String acquire(int port) throws IOException {
        IOException lastFailure = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            while (inUse.contains(next)) {
                advance();
            }
            int address = next;
            advance();
            String ip = text(address);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
            } catch (IOException e) {
                lastFailure = new IOException("cannot listen on " + ip + ":" + port + ": " + e.getMessage(), e);
                continue;
            }
            inUse.add(address);
            return ip;
        }
        throw lastFailure;
    }

    synchronized void release(String address) {
        String[] octets = address.split("\\.");
        inUse.remove((Integer.parseInt(octets[0]) << 24)
                | (Integer.parseInt(octets[1]) << 16)
                | (Integer.parseInt(octets[2]) << 8)
                | Integer.parseInt(octets[3]));
    }

    private void advance() {
        next = next == LAST ? FIRST : next + 1;
    }

    private static String text(int address) {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }
}
