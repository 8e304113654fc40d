package id.optikmelati.contract;

import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open TCP connections per client address, with a cap: a client cannot hold a server's file
 * descriptors with idle or half-sent connections. The same rule for the API's Tomcat and the
 * realtime nodes' Netty. The load balancer's own addresses are unlimited: every client behind it
 * arrives from them, and it caps each client itself.
 */
public final class ConnectionsPerAddress {

    private final int max;
    private final Set<String> unlimited;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    /** {@code max} at most per address (0: no cap); {@code unlimited}: addresses as {@link InetAddress#getHostAddress()} writes them. */
    public ConnectionsPerAddress(int max, Set<String> unlimited) {
        this.max = max;
        this.unlimited = Set.copyOf(unlimited);
    }

    /** Counts a new connection from {@code address}; false, and nothing counted, if it already has {@code max}. */
    public boolean tryOpen(InetAddress address) {
        if (max <= 0 || unlimited.contains(address.getHostAddress())) {
            return true;
        }
        boolean[] admitted = {false};
        open.compute(address, (a, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) {
                return n;
            }
            admitted[0] = true;
            return now + 1;
        });
        return admitted[0];
    }

    /** A connection {@link #tryOpen} admitted has closed. */
    public void closed(InetAddress address) {
        if (max <= 0 || unlimited.contains(address.getHostAddress())) {
            return;
        }
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Connections counted for {@code address} now. */
    public int openFrom(InetAddress address) {
        return open.getOrDefault(address, 0);
    }

    /** Addresses with a connection counted (the unlimited ones are not). */
    public int addresses() {
        return open.size();
    }
}
