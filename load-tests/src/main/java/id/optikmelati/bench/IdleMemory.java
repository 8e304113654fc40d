package id.optikmelati.bench;

import static id.optikmelati.bench.Bench.*;
import static id.optikmelati.bench.Measurement.*;

import id.optikmelati.load.SseSwarm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an idle stream costs the server: its RSS growth from before the streams open until all are
 * open and each has had one event, divided by the streams. The same for both servers, each on a
 * fresh process that has served {@link #FIRST_STREAMS} streams first; a node's heap and code cache
 * growth while the streams open count, as they would on a server.
 */
final class IdleMemory {

    private IdleMemory() {}

    static final int CONNECTIONS = Integer.getInteger("bench.memory.connections", 10000);

    /** Both servers in turn; a summary line with the ratio when both ran. */
    static void run(ReconnectWave.FreshTarget ours, ReconnectWave.FreshTarget nchan, boolean nchanFirst) throws Exception {
        List<ReconnectWave.FreshTarget> order = new ArrayList<>();
        if (ours != null) {
            order.add(ours);
        }
        if (nchan != null) {
            order.add(nchanFirst ? 0 : order.size(), nchan);
        }
        Map<String, Object> mine = null;
        Map<String, Object> peer = null;
        for (ReconnectWave.FreshTarget fresh : order) {
            Map<String, Object> r = measure(fresh.start(), CONNECTIONS);
            if (r.get("server").equals("ours")) {
                mine = r;
            } else {
                peer = r;
            }
        }
        if (mine != null && peer != null) {
            double o = ((Number) mine.get("rss_per_stream_kib")).doubleValue();
            double n = ((Number) peer.get("rss_per_stream_kib")).doubleValue();
            line(ordered("scenario", "memory-summary", "connections", CONNECTIONS, "ours_rss_per_stream_kib", o,
                    "nchan_rss_per_stream_kib", n, "ours_over_nchan", round(o / n)));
        }
    }

    /** Streams served (and closed) before the measure, so that what a server loads once is not counted per stream. */
    static final int FIRST_STREAMS = 500;

    static Map<String, Object> measure(ReconnectWave.Target t, int connections) throws Exception {
        idle(t, FIRST_STREAMS, () -> { });
        sleep(2000);
        long before = ProcStats.rssBytes(t.pid());
        long[] after = new long[1];
        long received = idle(t, connections, () -> after[0] = ProcStats.rssBytes(t.pid()));
        Map<String, Object> r = ordered("scenario", "memory", "server", t.server(), "connections", connections,
                "rss_before_mib", round(before / 1048576.0), "rss_after_mib", round(after[0] / 1048576.0),
                "rss_per_stream_kib", round((after[0] - before) / 1024.0 / connections), "events_received", received,
                "streams_served_before", FIRST_STREAMS);
        line(r);
        return r;
    }

    /** Opens the streams, sends each one event, runs {@code whileOpen} once all have it, then closes them; returns the events received. */
    private static long idle(ReconnectWave.Target t, int connections, Runnable whileOpen) {
        AtomicLong received = new AtomicLong();
        SseSwarm swarm = openFanout(t.port(), connections, t.pathOf(), t.tokenOf(), (c, id, event, data) -> {
            if (data.contains("\"reason\":\"i\"")) {
                received.incrementAndGet();
            }
        });
        try {
            progress(t.server() + ": " + connections + " idle streams open, one event each");
            for (long b = 1; b <= BRANCHES; b++) {
                t.sender().send(b, Instant.now(), "i");
            }
            t.settled().run();
            await("every stream to get its event", 60, () -> received.get() >= connections);
            sleep(2000);
            whileOpen.run();
            return received.get();
        } finally {
            swarm.close();
            t.dropped().run();
        }
    }
}
