package id.optikmelati.bench;

import static id.optikmelati.bench.Bench.*;
import static id.optikmelati.bench.Measurement.*;

import java.util.Map;

/** The highest event rate each server carries at 5,000 streams with p99 under 100 ms and nothing lost. */
final class MaxRate {

    private MaxRate() {}

    /**
     * Doubles the event rate at 5,000 connections until p99 passes 100 ms or anything is lost, then
     * halves the gap between the last passing and the first failing rate twice, so the two servers
     * are told apart closer than a factor of two. The search starts on a fresh process, and goes on
     * on a fresh one after every failed step: an nginx once overloaded stays slow for minutes, so
     * every later step on it failed too, and a node would carry a failed step's backlog.
     */
    static void search(FreshServer server, String who) throws Exception {
        Fanout fanout = warmedUp(server);
        int passing = 0;
        int failing = 0;
        double best = 0;
        int bisections = 0;
        for (int rate = 100; rate <= 6400; ) {
            double delivered = steadyRate(fanout, rate);
            if (delivered > 0) {
                passing = rate;
                best = delivered;
            } else {
                failing = rate;
            }
            if (failing == 0) {
                rate *= 2;
            } else if (passing > 0 && bisections++ < 2) {
                rate = (passing + failing) / 2;
            } else {
                break;
            }
            if (delivered == 0) {
                fanout = warmedUp(server);
            }
        }
        line(Map.of("scenario", "maxrate-summary", "server", who, "best_deliveries_per_s_p99_under_100ms", best,
                "best_events_per_s", passing, "first_failing_events_per_s", failing));
    }

    /**
     * One step instead of the search (the quick run's): a fresh process, warmed up, then {@code rate}
     * events/s for 10 s; whether p99 stayed under 100 ms with nothing lost.
     */
    static void step(FreshServer server, String who, int rate) throws Exception {
        Map<String, Object> r = warmedUp(server).run(5000, rate, 10, "maxrate").fields();
        sleep(5000);
        boolean ok = ((Number) r.get("p99_ms")).doubleValue() < 100 && r.get("lost").equals(0L);
        line(ordered("scenario", "maxrate-step", "server", who, "events_per_s", rate, "p99_ms", r.get("p99_ms"),
                "lost", r.get("lost"), "deliveries_per_s", r.get("deliveries_per_s"), "passed", ok));
    }

    /** A fresh process, warmed up at 100 events/s: a cold JVM's first seconds say nothing of its steady rate. */
    static Fanout warmedUp(FreshServer server) throws Exception {
        Fanout fanout = server.start();
        fanout.run(5000, 100, 5, "maxrate-warmup");
        sleep(2000);
        return fanout;
    }

    /** Deliveries per second at this event rate if p99 stayed under 100 ms with nothing lost, else 0. */
    static double steadyRate(Fanout fanout, int rate) throws Exception {
        Map<String, Object> r = fanout.run(5000, rate, 10, "maxrate").fields();
        sleep(5000); // an overloaded server drains what it still holds for the closed streams
        boolean ok = ((Number) r.get("p99_ms")).doubleValue() < 100 && r.get("lost").equals(0L);
        return ok ? ((Number) r.get("deliveries_per_s")).doubleValue() : 0;
    }
}
