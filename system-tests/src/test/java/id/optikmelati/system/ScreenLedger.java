package id.optikmelati.system;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.EventCursor;
import id.optikmelati.load.SseSwarm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * What every screen of a swarm received on the dashboard stream, checked as it arrives: each data
 * event must move exactly one branch of the screen's cursor forward by exactly one (no gap, no
 * duplicate, across any number of reconnects); a {@code reset} is recorded with its snapshot. Keeps
 * each screen's last known omset per branch.
 */
final class ScreenLedger implements SseSwarm.Listener {

    /** One screen's view. */
    static final class Screen {
        final Map<Long, Long> positions = new ConcurrentHashMap<>();
        final Map<Long, Long> omset = new ConcurrentHashMap<>();
        volatile int events;
        volatile int resets;
    }

    private final Map<Integer, Screen> screens = new ConcurrentHashMap<>();
    private final boolean trackOmset;
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());

    /** @param trackOmset whether to read each sale's omset (JSON parsing on the swarm's one thread) */
    ScreenLedger(boolean trackOmset) {
        this.trackOmset = trackOmset;
    }

    Screen screen(int index) {
        return screens.computeIfAbsent(index, i -> new Screen());
    }

    @Override
    public void onMessage(SseSwarm.Client client, String id, String event, String data) {
        Screen s = screen(client.index);
        if (id == null) {
            if (event.equals("omset")) {
                JsonNode o = EventCodec.mapper().readTree(data);
                s.omset.put(o.path("branchId").asLong(), o.path("total").asLong());
            }
            return;
        }
        Optional<EventCursor> cursor = EventCursor.parse(id);
        if (cursor.isEmpty()) {
            violations.add("screen " + client.index + ": malformed id " + id);
            return;
        }
        Map<Long, Long> next = cursor.get().positions();
        switch (event) {
            case "reset" -> {
                s.resets++;
                s.positions.clear();
                s.positions.putAll(next);
                for (JsonNode b : EventCodec.mapper().readTree(data).path("branches")) {
                    s.omset.put(b.path("branchId").asLong(), b.path("omset").path("total").asLong());
                }
            }
            case "omset" -> {
                // the first figure of a fresh stream: it sets the position
                s.positions.putAll(next);
                JsonNode o = EventCodec.mapper().readTree(data);
                s.omset.put(o.path("branchId").asLong(), o.path("total").asLong());
            }
            default -> {
                int moved = 0;
                for (Map.Entry<Long, Long> e : next.entrySet()) {
                    Long before = s.positions.get(e.getKey());
                    if (before == null) {
                        continue; // first event of a branch this screen had no position in
                    }
                    long step = e.getValue() - before;
                    if (step < 0 || step > 1) {
                        violations.add("screen " + client.index + ": branch " + e.getKey() + " went from "
                                + before + " to " + e.getValue() + " on " + event);
                    }
                    moved += (int) Math.max(0, step);
                }
                if (moved != 1 && s.positions.keySet().containsAll(next.keySet())) {
                    violations.add("screen " + client.index + ": " + event + " " + id + " moved " + moved
                            + " positions (duplicate or gap)");
                }
                s.positions.putAll(next);
                s.events++;
                if (trackOmset && event.equals("sale")) {
                    JsonNode o = EventCodec.mapper().readTree(data).path("omset");
                    s.omset.put(o.path("branchId").asLong(), o.path("total").asLong());
                }
            }
        }
    }

    long position(int screen, long branch) {
        return screen(screen).positions.getOrDefault(branch, -1L);
    }

    /**
     * The screens (0 to count-1) not yet at the end of every branch they watch.
     *
     * @param watched the branches screen i watches
     * @param end each branch's last seq (from the database)
     */
    List<Integer> behind(int count, java.util.function.IntFunction<List<Long>> watched, Map<Long, Long> end) {
        List<Integer> behind = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            for (long b : watched.apply(i)) {
                if (position(i, b) != end.get(b)) {
                    behind.add(i);
                    break;
                }
            }
        }
        return behind;
    }

    /** Waits until every screen has caught up; fails naming a few that have not, and why. */
    void awaitCaughtUp(int count, java.util.function.IntFunction<List<Long>> watched, Map<Long, Long> end,
            java.time.Duration within) {
        try {
            org.awaitility.Awaitility.await().atMost(within).pollInterval(java.time.Duration.ofMillis(500))
                    .until(() -> behind(count, watched, end).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<Integer> late = behind(count, watched, end);
            throw new AssertionError(late.size() + " screens behind " + end + ", e.g. "
                    + late.stream().limit(5).map(i -> i + ": " + screen(i).positions).toList()
                    + "; violations " + violations.stream().limit(5).toList());
        }
    }

    /** The demo screens of the swarms here: kasir1 (branch 1), kasir2 (branch 2), the super admin (both). */
    static List<Long> kasirKasirSuperadmin(int screen) {
        return switch (screen % 3) {
            case 0 -> List.of(1L);
            case 1 -> List.of(2L);
            default -> List.of(1L, 2L);
        };
    }
}
