package id.optikmelati.contract;

/**
 * The one Redis key scheme. Every per-branch key carries the hash tag {@code {b<id>}} so that a
 * branch's stream, live channel and snapshot live in one Redis Cluster slot: the relay's Lua script
 * touches all three atomically, and branches spread over every shard.
 */
public final class RedisKeys {

    private static final String PREFIX = "optik:";

    private RedisKeys() {}

    /** The branch's replay log: a stream whose entry ids are {@code <seq>-0}. */
    public static String stream(long branchId) {
        return PREFIX + tag(branchId) + ":events";
    }

    /** The branch's live fan-out channel (pub/sub, or sharded pub/sub on a cluster). */
    public static String channel(long branchId) {
        return PREFIX + tag(branchId) + ":live";
    }

    /** Hash of the branch's latest state (omset, stock per product) and the seq it reflects. */
    public static String snapshot(long branchId) {
        return PREFIX + tag(branchId) + ":snapshot";
    }

    /** Snapshot field: the seq of the last event folded into the snapshot. */
    public static final String SNAPSHOT_SEQ = "seq";
    /** Snapshot field: the branch's omset (JSON of {@link Payloads.Omset}) after the last sale. */
    public static final String SNAPSHOT_OMSET = "omset";
    private static final String SNAPSHOT_STOCK_PREFIX = "stock:";

    /** Snapshot field: one product's stock (JSON of {@link Payloads.StockUpdate}). */
    public static String snapshotStockField(long productId) {
        return SNAPSHOT_STOCK_PREFIX + productId;
    }

    public static boolean isSnapshotStockField(String field) {
        return field.startsWith(SNAPSHOT_STOCK_PREFIX);
    }

    /** Hash of every branch id to its name, so realtime nodes know what to subscribe to. */
    public static String branches() {
        return PREFIX + "branches";
    }

    /**
     * Sorted set of one user's open SSE connections across the cluster: members {@code <node>/<id>},
     * score their lease's expiry in millis.
     */
    public static String connections(long userId) {
        return PREFIX + "conn:{u" + userId + "}";
    }

    /** A realtime node's heartbeat: exists while the node lives (it expires a few seconds after a crash). */
    public static String nodeAlive(String nodeId) {
        return PREFIX + "node:" + nodeId;
    }

    /**
     * Hash of user id to the epoch second before which that user's tokens are refused (deactivated,
     * password reset, new role or branch): how the realtime nodes learn of it without asking the API.
     */
    public static String revocations() {
        return PREFIX + "revocations";
    }

    /**
     * Hash of login session id to the epoch second of its absolute end: sessions a logout ended,
     * whose tokens the realtime nodes refuse (and whose streams they end) until then.
     */
    public static String endedSessions() {
        return PREFIX + "ended-sessions";
    }

    /** Failed login attempts of one username (rate limit and lockout). */
    public static String loginAttempts(String username) {
        return PREFIX + "login:{" + username + "}";
    }

    /** Login attempts from one client address (rate limit). */
    public static String loginAttemptsFromIp(String ip) {
        return PREFIX + "login-ip:{" + ip + "}";
    }

    /** Branch id of a channel name produced by {@link #channel(long)}, or -1 if it is not one. */
    public static long branchOfChannel(String channel) {
        String head = PREFIX + "{b";
        String tail = "}:live";
        if (!channel.startsWith(head) || !channel.endsWith(tail) || channel.length() <= head.length() + tail.length()) {
            return -1;
        }
        try {
            return Long.parseLong(channel.substring(head.length(), channel.length() - tail.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static String streamEntryId(long seq) {
        return seq + "-0";
    }

    private static String tag(long branchId) {
        return "{b" + branchId + "}";
    }
}
