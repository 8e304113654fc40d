package id.optikmelati.api.outbox;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.redis.RedisConnector;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The API's side of Redis: appends events to the branch streams (and publishes them live), trims
 * the streams, and seeds the branch snapshots. Every write is one Lua script on the branch's slot.
 */
@Component
public class RedisEventLog {

    private final RedisConnector redis;
    private final Script publish = Script.load("redis/publish.lua");
    private final Script trim = Script.load("redis/trim.lua");
    private final Script seed = Script.load("redis/seed.lua");
    private final long streamMaxLength;

    /** The connector fails fast while Redis is away: the relay backs off and the events wait in the outbox. */
    RedisEventLog(RedisConnector redis, ShopProperties properties) {
        this.redis = redis;
        this.streamMaxLength = properties.outbox().streamMaxLength();
    }

    /** One event ready for Redis, with the snapshot fields it sets. */
    public record Entry(long seq, long committedAtMillis, String envelope, Map<String, String> snapshotPatch) {}

    /** Appends a branch's events (in seq order); returns how many were new to the stream. */
    public long append(long branchId, List<Entry> entries) {
        return write(branchId, entries, redis.publishCommand(), false);
    }

    /**
     * Appends a branch's events unless the stream lost the ones before them (Redis lost its data):
     * then nothing is written and the answer is the stream's last seq, so the caller writes the lost
     * ones back ({@link #restore}) first.
     *
     * @return empty once appended; else the seq the stream ends at (0: empty)
     */
    public java.util.OptionalLong appendAfter(long branchId, List<Entry> entries) {
        long r = write(branchId, entries, redis.publishCommand(), true);
        return r < 0 ? java.util.OptionalLong.of(-1 - r) : java.util.OptionalLong.empty();
    }

    /** Writes events the stream lost back into it, in seq order: not published live, not folded into the snapshot. */
    public long restore(long branchId, List<Entry> entries) {
        return write(branchId, entries, "RESTORE", false);
    }

    /** The seq of the stream's last entry; 0 when it is empty (or gone). */
    public long streamEnd(long branchId) {
        var top = commands().xrevrange(RedisKeys.stream(branchId), io.lettuce.core.Range.create("-", "+"),
                io.lettuce.core.Limit.from(1));
        return top.isEmpty() ? 0 : Long.parseLong(top.get(0).getId().split("-")[0]);
    }

    private long write(long branchId, List<Entry> entries, String publishCommand, boolean guard) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(streamMaxLength));
        args.add(publishCommand); // SPUBLISH on a cluster: the live message stays on the branch's shard
        args.add(Integer.toString(entries.size()));
        for (Entry e : entries) {
            args.add(Long.toString(e.seq()));
            args.add(Long.toString(e.committedAtMillis()));
            args.add(e.envelope());
            args.add(Integer.toString(e.snapshotPatch().size()));
            e.snapshotPatch().forEach((field, value) -> {
                args.add(field);
                args.add(value);
            });
        }
        if (guard) {
            args.add("GUARD");
        }
        return run(publish, new String[] {RedisKeys.stream(branchId), RedisKeys.snapshot(branchId),
                RedisKeys.channel(branchId)}, args);
    }

    /** Drops stream entries committed before the cutoff; returns how many went. */
    public long trimOlderThan(long branchId, long cutoffEpochMillis) {
        return run(trim, new String[] {RedisKeys.stream(branchId)}, List.of(Long.toString(cutoffEpochMillis)));
    }

    /** Replaces the snapshot with one read at the given seq, unless Redis already has a newer one. */
    public boolean seedSnapshot(long branchId, long seq, Map<String, String> fields) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(seq));
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        return run(seed, new String[] {RedisKeys.snapshot(branchId)}, args) == 1;
    }

    public boolean snapshotExists(long branchId) {
        return commands().exists(RedisKeys.snapshot(branchId)) > 0;
    }

    /** Tells realtime nodes which branches exist (they subscribe to every one). */
    public void registerBranches(Map<Long, String> branches) {
        Map<String, String> fields = new java.util.HashMap<>();
        branches.forEach((id, name) -> fields.put(Long.toString(id), name));
        if (!fields.isEmpty()) {
            commands().hset(RedisKeys.branches(), fields);
        }
    }

    private long run(Script script, String[] keys, List<String> args) {
        String[] argv = args.toArray(String[]::new);
        RedisClusterCommands<String, String> redis = commands();
        try {
            return redis.evalsha(script.sha, ScriptOutputType.INTEGER, keys, argv);
        } catch (RedisNoScriptException e) {
            // First use, or Redis restarted and forgot its script cache.
            return redis.eval(script.source, ScriptOutputType.INTEGER, keys, argv);
        }
    }

    private RedisClusterCommands<String, String> commands() {
        return redis.sync();
    }

    private record Script(String source, String sha) {
        static Script load(String resource) {
            try (InputStream in = RedisEventLog.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing " + resource);
                }
                String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Script(source, sha1(source));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String sha1(String source) {
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
                        .digest(source.getBytes(StandardCharsets.UTF_8));
                return java.util.HexFormat.of().formatHex(digest);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
