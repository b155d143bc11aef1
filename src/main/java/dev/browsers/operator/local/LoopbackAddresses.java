package dev.browsers.operator.local;

import java.util.HashSet;
import java.util.Set;

/**
 * Pod IPs for local mode: addresses of the loopback network 127.0.0.0/8 (all of which reach this machine on
 * Linux), handed out in turn from 127.0.0.2, skipping those still in use, like a CNI's IP pool.
 */
final class LoopbackAddresses {
    /** How many addresses a pod tries before giving up; another program may hold the agent port on some. */
    static final int BIND_ATTEMPTS = 16;
    private static final int FIRST = (127 << 24) | 2;
    private static final int LAST = (127 << 24) | 0xFFFFFE;

    private final Set<Integer> inUse = new HashSet<>();
    private int next = FIRST;

    synchronized String acquire() {
        while (inUse.contains(next)) {
            advance();
        }
        int address = next;
        inUse.add(address);
        advance();
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    synchronized void release(String address) {
        String[] octets = address.split("\\.");
        inUse.remove((Integer.parseInt(octets[0]) << 24) | (Integer.parseInt(octets[1]) << 16)
                | (Integer.parseInt(octets[2]) << 8) | Integer.parseInt(octets[3]));
    }

    private void advance() {
        next = next == LAST ? FIRST : next + 1;
    }
}
