package id.optikmelati.bench;

import static id.optikmelati.bench.Bench.*;
import static id.optikmelati.bench.Measurement.*;

import id.optikmelati.contract.EventCursor;
import id.optikmelati.load.SseSwarm;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A reconnect storm on our node: every screen drops at once and comes back at once with its Last-Event-ID. */
final class ReconnectStorm {

    private ReconnectStorm() {}

    /**
     * {@code connections} screens drop at once while events keep coming, then all come back at
     * once with their Last-Event-ID: time until all are live and caught up; gaps and duplicates.
     */
    static void run(OurNode ours, int connections) throws Exception {
        ours.used = true;
        Map<Integer, long[]> seen = new ConcurrentHashMap<>(); // client -> {last seq, gaps, duplicates}
        SseSwarm.Listener check = (c, id, event, data) -> {
            if (id == null || !event.equals("stock")) {
                return;
            }
            long branch = c.index % BRANCHES + 1;
            long seq = EventCursor.parse(id).orElseThrow().seqOf(branch).orElse(0L);
            long[] s = seen.computeIfAbsent(c.index, k -> new long[] {-1, 0, 0});
            if (s[0] >= 0 && seq <= s[0]) {
                s[2]++;
            } else if (s[0] >= 0 && seq > s[0] + 1) {
                s[1]++;
            }
            s[0] = Math.max(s[0], seq);
        };
        SseSwarm first = new SseSwarm(List.of(new InetSocketAddress("127.0.0.1", ours.node.port())), "/realtime/stock-updates",
                false, check);
        openInBatches(connections, (from, n) -> first.open(n, ours::token, null), first::liveCount);
        publish(RATE, 2, (b, now) -> ours.send(b, now, "w"), 0);
        sleep(1000);
        Map<Long, String> lastIds = new LinkedHashMap<>();
        for (SseSwarm.Client c : first.clients()) {
            lastIds.putIfAbsent(c.index % (long) BRANCHES + 1, c.lastId());
        }
        first.close();
        await("node to drop the connections", 60, () -> ours.openStreams() == 0);
        publish(RATE, 3, (b, now) -> ours.send(b, now, "w"), 0); // missed while away
        Map<Long, Long> end = new LinkedHashMap<>(ours.seqs);
        seen.clear();
        long start = System.nanoTime();
        SseSwarm second = new SseSwarm(List.of(new InetSocketAddress("127.0.0.1", ours.node.port())), "/realtime/stock-updates",
                false, check);
        // each screen comes back with the id it last saw (the screens of one branch saw the same)
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            order.add(i);
        }
        for (int i : order) {
            long branch = i % BRANCHES + 1;
            int index = i;
            second.open(1, k -> ours.token(index), lastIds.get(branch));
        }
        await("all caught up", 300, () -> {
            for (int i = 0; i < connections; i++) {
                long[] s = seen.get(i);
                long branch = i % BRANCHES + 1;
                if (s == null || s[0] < end.get(branch)) {
                    return false;
                }
            }
            return true;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        long gaps = seen.values().stream().mapToLong(s -> s[1]).sum();
        long duplicates = seen.values().stream().mapToLong(s -> s[2]).sum();
        second.close();
        await("node to drop the connections", 60, () -> ours.openStreams() == 0);
        line(Map.of("scenario", "storm", "server", "ours", "connections", connections, "branches", BRANCHES,
                "missed_events_per_branch", end.values().iterator().next() - Long.parseLong(
                        EventCursor.parse(lastIds.get(1L)).orElseThrow().seqOf(1).orElseThrow().toString()),
                "seconds_until_all_caught_up", round(seconds), "gaps", gaps, "duplicates", duplicates));
    }
}
