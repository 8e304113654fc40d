package id.optikmelati.realtime.stream;

import id.optikmelati.realtime.screen.Conflation;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What a screen that reads too slowly has not been sent yet, in the order it was decided, with its
 * ids already set. A latest-value message ({@link Conflation}) leaves the backlog once newer
 * messages wait for every one of its keys, so a slow stock screen gets each product's newest level
 * rather than its whole history; every other message stays. Ids only grow along the backlog, so
 * the screen's last id stays a position it may resume from: what it skipped is older than a value
 * it gets, and a replay from there sends everything after.
 */
final class Backlog {

    /** One message waiting: its chunk (id included), when its event was committed, and its keys. */
    static final class Entry {
        final byte[] chunk;
        final long committedAtMillis;
        final List<Conflation.Key> keys;
        /** Keys for which this is still the newest value waiting. */
        private int newest;

        Entry(byte[] chunk, long committedAtMillis, List<Conflation.Key> keys) {
            this.chunk = chunk;
            this.committedAtMillis = committedAtMillis;
            this.keys = keys;
        }
    }

    private final int capacity;
    /** Identity-keyed, in order: an entry leaves from anywhere once superseded. */
    private final LinkedHashSet<Entry> waiting = new LinkedHashSet<>();
    private final Map<Conflation.Key, Entry> newestByKey = new HashMap<>();
    private long skipped;

    /** @param capacity messages that may wait, after conflation, before the screen counts as not reading at all */
    Backlog(int capacity) {
        this.capacity = capacity;
    }

    /** Adds a message at the end; false once more than the capacity wait (the stream should end). */
    boolean add(byte[] chunk, long committedAtMillis, List<Conflation.Key> keys) {
        Entry entry = new Entry(chunk, committedAtMillis, keys);
        for (Conflation.Key key : keys) {
            Entry older = newestByKey.put(key, entry);
            if (older != null && --older.newest == 0) {
                waiting.remove(older);
                skipped++;
            }
        }
        entry.newest = keys.size();
        waiting.add(entry);
        return waiting.size() <= capacity;
    }

    /** The oldest message waiting, taken out; null when none waits. */
    Entry poll() {
        Iterator<Entry> it = waiting.iterator();
        if (!it.hasNext()) {
            return null;
        }
        Entry first = it.next();
        it.remove();
        for (Conflation.Key key : first.keys) {
            newestByKey.remove(key, first);
        }
        return first;
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    int size() {
        return waiting.size();
    }

    /** Messages that left the backlog unsent because a newer value of all their keys was waiting. */
    long skipped() {
        return skipped;
    }
}
