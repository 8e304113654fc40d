package id.optikmelati.realtime.admission;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * New streams per client IP per minute, on this node (a fixed window). Keeps a reconnect loop or a
 * script from one address from taking the node's capacity; the cluster-wide guard is the per-user limit.
 */
public final class ConnectRateLimiter {

    private record Window(long minute, int count) {}

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final int perMinute;
    private final Clock clock;

    public ConnectRateLimiter(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    public int perMinute() {
        return perMinute;
    }

    public boolean tryConnect(String ip) {
        long minute = clock.millis() / 60_000;
        Window w = windows.compute(ip, (k, old) -> old == null || old.minute() != minute
                ? new Window(minute, 1) : new Window(minute, old.count() + 1));
        if (windows.size() > 100_000) {
            windows.values().removeIf(x -> x.minute() != minute);
        }
        return w.count() <= perMinute;
    }

    /** Takes one of this minute's connects of {@code ip} back: one the node made itself (its warm-up), not a client. */
    public void giveBack(String ip) {
        long minute = clock.millis() / 60_000;
        windows.computeIfPresent(ip, (k, w) -> w.minute() == minute && w.count() > 0
                ? new Window(minute, w.count() - 1) : w);
    }
}
