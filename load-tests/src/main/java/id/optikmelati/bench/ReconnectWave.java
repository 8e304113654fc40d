package id.optikmelati.bench;

import static id.optikmelati.bench.Bench.*;
import static id.optikmelati.bench.Measurement.*;

import id.optikmelati.contract.EventCursor;
import id.optikmelati.load.SseSwarm;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * A wave of reconnects, the same for both servers: what a node gets when another node dies or a
 * deploy drains one. Every screen drops, events go on that they miss, then all come back at once
 * with their Last-Event-ID while live events keep coming. Per screen: the time to its response
 * headers, and to the last event it missed (its replay); for our node also gaps and duplicates by
 * seq, for both the missed events each screen got (fewer: lost; more: duplicated), and the time from
 * the first reconnect until every screen has caught up.
 */
final class ReconnectWave {

    private ReconnectWave() {}

    /** Seconds of events the screens miss while away. */
    static final int AWAY_SECONDS = 3;

    /** Rounds, the servers taking turns, each on a fresh process. */
    static final int ROUNDS = Integer.getInteger("bench.wave.rounds", 3);

    /**
     * A server as the wave and the memory scenario see it.
     *
     * @param pid the server's process (for nginx its master; its workers are counted with it)
     * @param dropped waits until the server has let go of the streams that closed
     * @param settled waits until every event sent so far has reached the server
     * @param seqIds whether event ids carry our seq (checked for gaps and duplicates)
     */
    record Target(String server, long pid, int port, LongFunction<String> pathOf, IntFunction<String> tokenOf,
            Sender sender, Runnable dropped, Runnable settled, boolean seqIds) {}

    /** A server on a process that served no streams yet. */
    interface FreshTarget {
        Target start() throws Exception;
    }

    /**
     * The wave on each server in turn, {@link #ROUNDS} rounds, after one that is not counted; a summary
     * line with the medians and ratios.
     */
    static void run(int connections, FreshTarget ours, FreshTarget nchan, boolean nchanFirst) throws Exception {
        List<Map<String, Object>> mine = new ArrayList<>();
        List<Map<String, Object>> peer = new ArrayList<>();
        // The load client's own code is cold in its first wave, and whichever server met it there was
        // measured slower (ours' headers p99 1.4-1.9 x its later rounds; BENCHMARKS.md). Every counted
        // wave runs on a fresh process, so the server this one met starts anew for its own.
        FreshTarget first = nchan != null && (nchanFirst || ours == null) ? nchan : ours;
        if (first != null) {
            progress("a wave that is not counted first, for the load client's JIT");
            Map<String, Object> uncounted = wave(first.start(), connections);
            uncounted.put("scenario", "wave-uncounted"); // in the raw file all the same: its losses and gaps show
            line(uncounted);
        }
        for (int r = 0; r < ROUNDS; r++) {
            boolean peerFirst = nchanFirst != (r % 2 == 1);
            for (boolean peerTurn : peerFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                if (peerTurn && nchan != null) {
                    peer.add(counted(wave(nchan.start(), connections)));
                } else if (!peerTurn && ours != null) {
                    mine.add(counted(wave(ours.start(), connections)));
                }
            }
        }
        if (mine.isEmpty() || peer.isEmpty()) {
            return;
        }
        double oursHeaders = median(mine, "headers_p99_ms");
        double nchanHeaders = median(peer, "headers_p99_ms");
        double oursReplay = median(mine, "replay_p99_ms");
        double nchanReplay = median(peer, "replay_p99_ms");
        line(ordered("scenario", "wave-summary", "connections", connections, "rounds", ROUNDS,
                "ours_headers_p50_ms_median", median(mine, "headers_p50_ms"),
                "ours_headers_p99_ms_median", oursHeaders,
                "nchan_headers_p50_ms_median", median(peer, "headers_p50_ms"),
                "nchan_headers_p99_ms_median", nchanHeaders,
                "headers_p99_ours_over_nchan", round(oursHeaders / nchanHeaders),
                "ours_replay_p99_ms_median", oursReplay,
                "nchan_replay_p99_ms_median", nchanReplay,
                "replay_p99_ours_over_nchan", round(oursReplay / nchanReplay),
                "gaps_ours", sum(mine, "gaps"), "duplicates_ours", sum(mine, "duplicates"),
                "missing_ours", sum(mine, "missed_events_not_received"),
                "missing_nchan", sum(peer, "missed_events_not_received"),
                "duplicated_nchan", sum(peer, "missed_events_received_twice")));
    }

    private static Map<String, Object> counted(Map<String, Object> result) {
        line(result);
        return result;
    }

    /** One wave on a server that has had its streams open, and events, for a while; its result line. */
    static Map<String, Object> wave(Target t, int connections) throws Exception {
        int perBranch = RATE * AWAY_SECONDS / BRANCHES;
        SseSwarm first = openFanout(t.port(), connections, t.pathOf(), t.tokenOf(), (c, id, event, data) -> { });
        String[] lastIds = new String[connections];
        try {
            progress(t.server() + ": " + connections + " streams open, 20 s of events before the wave");
            publish(RATE, 20, (b, now) -> t.sender().send(b, now, "w"), 0);
            t.settled().run();
            sleep(1000);
            for (SseSwarm.Client c : first.clients()) {
                lastIds[c.index] = c.lastId();
            }
        } finally {
            first.close();
        }
        t.dropped().run();
        publish(RATE, AWAY_SECONDS, (b, now) -> t.sender().send(b, now, "m"), 0);
        t.settled().run();

        long[] missedSeen = new long[connections];
        long[] replayedAt = new long[connections];
        long[] lastSeq = new long[connections];
        long[] gaps = new long[1];
        long[] duplicates = new long[1];
        for (int i = 0; i < connections; i++) {
            lastSeq[i] = t.seqIds() && lastIds[i] != null ? seqOf(lastIds[i], i) : -1;
        }
        SseSwarm.Listener check = (c, id, event, data) -> { // the swarm's one thread
            int at = data.indexOf("\"reason\":\"");
            if (at < 0) {
                return;
            }
            int i = c.index;
            if (t.seqIds() && id != null) {
                long seq = seqOf(id, i);
                if (lastSeq[i] >= 0 && seq <= lastSeq[i]) {
                    duplicates[0]++;
                } else if (lastSeq[i] >= 0 && seq > lastSeq[i] + 1) {
                    gaps[0]++;
                }
                lastSeq[i] = Math.max(lastSeq[i], seq);
            }
            if (data.charAt(at + 10) == 'm' && ++missedSeen[i] == perBranch) {
                replayedAt[i] = System.nanoTime();
            }
        };
        AtomicBoolean waving = new AtomicBoolean(true);
        Thread live = new Thread(() -> {
            while (waving.get()) {
                publish(RATE, 1, (b, now) -> t.sender().send(b, now, "l"), 0);
            }
        }, "wave-live-events");
        progress(t.server() + ": the wave, " + connections + " reconnects at once");
        SseSwarm second = new SseSwarm(List.of(new InetSocketAddress("127.0.0.1", t.port())), t.pathOf().apply(1),
                false, check);
        Histogram headers = new Histogram(3_600_000_000L, 3);
        Histogram replay = new Histogram(3_600_000_000L, 3);
        long refused;
        double caughtUp;
        try {
            live.start();
            for (int i = 0; i < connections; i++) {
                String last = lastIds[i];
                second.open(t.pathOf().apply(i % BRANCHES + 1), 1, k -> t.tokenOf().apply(k), last);
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline && !allSet(replayedAt)) {
                sleep(50);
            }
            sleep(1000); // duplicates after the last missed event would show here
            refused = second.clients().stream().filter(c -> c.status() != 200).count();
            long firstConnect = second.clients().stream().mapToLong(SseSwarm.Client::connectStarted).min().orElse(0);
            caughtUp = allSet(replayedAt) ? round((Arrays.stream(replayedAt).max().orElseThrow() - firstConnect) / 1e9) : -1;
            for (SseSwarm.Client c : second.clients()) {
                if (c.headersAt() > 0) {
                    headers.recordValue((c.headersAt() - c.connectStarted()) / 1000);
                }
                if (replayedAt[c.index] > 0) {
                    replay.recordValue((replayedAt[c.index] - c.connectStarted()) / 1000);
                }
            }
        } finally {
            waving.set(false);
            live.join();
            second.close();
        }
        t.dropped().run();
        long notReceived = 0;
        long twice = 0;
        for (long seen : missedSeen) {
            notReceived += Math.max(0, perBranch - seen);
            twice += Math.max(0, seen - perBranch);
        }
        Map<String, Object> r = ordered("scenario", "wave", "server", t.server(), "connections", connections,
                "branches", BRANCHES, "missed_events_per_screen", perBranch, "refused", refused,
                "headers_p50_ms", ms(headers, 50), "headers_p90_ms", ms(headers, 90), "headers_p99_ms", ms(headers, 99),
                "headers_max_ms", headers.getMaxValue() / 1000.0,
                "replay_p50_ms", ms(replay, 50), "replay_p90_ms", ms(replay, 90), "replay_p99_ms", ms(replay, 99),
                "replay_max_ms", replay.getMaxValue() / 1000.0,
                "screens_caught_up", replay.getTotalCount(), "seconds_until_all_caught_up", caughtUp,
                "missed_events_not_received", notReceived, "missed_events_received_twice", twice);
        if (t.seqIds()) {
            r.put("gaps", gaps[0]);
            r.put("duplicates", duplicates[0]);
        }
        return r;
    }

    private static long seqOf(String id, int client) {
        return EventCursor.parse(id).orElseThrow().seqOf(client % BRANCHES + 1).orElse(0L);
    }

    private static boolean allSet(long[] times) {
        for (long t : times) {
            if (t == 0) {
                return false;
            }
        }
        return true;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    static double median(List<Map<String, Object>> rounds, String field) {
        double[] v = rounds.stream().mapToDouble(r -> ((Number) r.get(field)).doubleValue()).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static long sum(List<Map<String, Object>> rounds, String field) {
        return rounds.stream().mapToLong(r -> ((Number) r.getOrDefault(field, 0L)).longValue()).sum();
    }
}
