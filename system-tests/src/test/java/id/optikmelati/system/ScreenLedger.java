package id.optikmelati.system;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.EventCursor;
import id.optikmelati.embedded.SseSwarm;
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
}
