package id.optikmelati.bench;

import static id.optikmelati.bench.Bench.*;
import static id.optikmelati.bench.Measurement.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The fan-out at one size, the two servers taking turns window by window. */
final class FanoutRounds {

    private FanoutRounds() {}

    /** Alternating rounds at each size up to this many streams (see {@link #run}). */
    static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

    /**
     * The fan-out at one size, the two servers taking turns: ours then NchanServer, then NchanServer then ours,
     * and so on, so both are measured under the same drift of a shared machine, neither always
     * first. With both servers, a summary line gives the ratios over all rounds (latencies merged)
     * and round by round. Up to 5,000 streams there are {@code bench.rounds} rounds; larger sizes run
     * once (a round at 10,000 takes minutes, and there the two cores, not either server, are the limit).
     * Every window runs on a freshly started node or nginx (and an emptied Redis for NchanServer).
     */
    static void run(int connections, OurNode ours, NchanServer nchan, boolean nchanFirst) throws Exception {
        // Fresh processes for every window, for both: a long-lived nginx gets slower window after
        // window (after three rounds at 1,000 streams it fell seconds behind at 5,000; its third
        // round at 5,000 was often its worst), which would flatter us. Our node starts cold each
        // time too, and pays for its JIT in every window, not just the first.
        int rounds = connections <= 5000 ? ROUNDS : 1;
        List<Window> mine = new ArrayList<>();
        List<Window> peer = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            boolean peerFirst = nchanFirst != (r % 2 == 1);
            for (boolean peerTurn : peerFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                if (peerTurn && nchan != null) {
                    peer.add(nchan.fresh().fanout(connections, RATE, SECONDS, "fanout"));
                } else if (!peerTurn && ours != null) {
                    mine.add(ours.fresh().fanout(connections, RATE, SECONDS, "fanout"));
                }
            }
        }
        Histogram oursAll = merged(mine);
        Histogram nchanAll = merged(peer);
        if (!mine.isEmpty()) {
            Report.fanoutLatency(connections, "ours", oursAll);
        }
        if (!peer.isEmpty()) {
            Report.fanoutLatency(connections, "Nchan", nchanAll);
        }
        if (mine.isEmpty() || peer.isEmpty()) {
            return;
        }
        List<Double> p99Ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            p99Ratios.add(round(number(mine.get(r), "p99_ms") / number(peer.get(r), "p99_ms")));
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("scenario", "fanout-summary");
        s.put("connections", connections);
        s.put("rounds", rounds);
        s.put("first", nchanFirst ? "nchan" : "ours");
        s.put("ours_p99_ms", oursAll.getValueAtPercentile(99) / 1000.0);
        s.put("nchan_p99_ms", nchanAll.getValueAtPercentile(99) / 1000.0);
        s.put("p99_ours_over_nchan", round(oursAll.getValueAtPercentile(99) / (double) nchanAll.getValueAtPercentile(99)));
        s.put("p99_ours_over_nchan_by_round", p99Ratios);
        s.put("p999_ours_over_nchan", round(oursAll.getValueAtPercentile(99.9) / (double) nchanAll.getValueAtPercentile(99.9)));
        s.put("deliveries_per_cpu_s_ours_over_nchan", round(perCpu(mine) / perCpu(peer)));
        s.put("lost_ours", mine.stream().mapToLong(w -> (Long) w.fields().get("lost")).sum());
        s.put("lost_nchan", peer.stream().mapToLong(w -> (Long) w.fields().get("lost")).sum());
        line(s);
    }

    static Histogram merged(List<Window> windows) {
        Histogram all = new Histogram(3_600_000_000L, 3);
        windows.forEach(w -> all.add(w.latency()));
        return all;
    }

    /** Deliveries per server CPU second over all the windows. */
    static double perCpu(List<Window> windows) {
        double received = windows.stream().mapToDouble(w -> number(w, "deliveries_received")).sum();
        return received / windows.stream().mapToDouble(w -> number(w, "server_cpu_s")).sum();
    }

    static double number(Window w, String field) {
        return ((Number) w.fields().get(field)).doubleValue();
    }
}
