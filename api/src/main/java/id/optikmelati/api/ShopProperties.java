package id.optikmelati.api;

import id.optikmelati.redis.RedisConnector;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything the API node can be configured with, under {@code optik.*}. Documented in README.md.
 *
 * @param zone the shop's time zone; a business day (omset) runs midnight to midnight here
 * @param auth access tokens
 * @param redis where events go
 * @param outbox the relay from the outbox table to Redis
 * @param web the browser UI
 * @param metrics business gauges
 * @param maxRequestBody the largest request body accepted; larger ones get 413 before anything is read
 * @param reports the stockout forecast
 * @param connections limits on the API's TCP connections
 * @param orders glasses orders
 */
@ConfigurationProperties("optik")
public record ShopProperties(
        @DefaultValue("Asia/Jakarta") ZoneId zone,
        @DefaultValue Auth auth,
        @DefaultValue Redis redis,
        @DefaultValue Outbox outbox,
        @DefaultValue Web web,
        @DefaultValue Metrics metrics,
        @DefaultValue("64KB") DataSize maxRequestBody,
        @DefaultValue Reports reports,
        @DefaultValue Connections connections,
        @DefaultValue Orders orders) {

    /**
     * @param jwtSecret HS256 secret shared with the realtime nodes (at least 32 bytes)
     * @param tokenTtl how long an access token lives; a page renews it before it expires
     * @param sessionLifetime how long a login lasts at most, however often its token is renewed
     * @param cookieSecure mark the token cookie Secure (turn on behind TLS)
     * @param loginMaxFailures failed logins of one username before it is locked out
     * @param loginLockout how long it takes a locked-out username to earn all its attempts back
     * @param loginAttemptsPerIpPerMinute logins one client address may try per minute
     * @param revocationSync how often the revoked tokens in PostgreSQL are written to Redis again,
     *     for the realtime nodes (each revocation is also written when it commits)
     */
    public record Auth(
            String jwtSecret,
            @DefaultValue("8h") Duration tokenTtl,
            @DefaultValue("16h") Duration sessionLifetime,
            @DefaultValue("false") boolean cookieSecure,
            @DefaultValue("5") int loginMaxFailures,
            @DefaultValue("15m") Duration loginLockout,
            @DefaultValue("30") int loginAttemptsPerIpPerMinute,
            @DefaultValue("15s") Duration revocationSync) {}

    /**
     * @param url redis://host:port of a single Redis, or for a cluster a comma-separated list of seed nodes
     * @param mode {@code standalone} or {@code cluster} (streams and sharded pub/sub keyed per branch)
     * @param commandTimeout how long one Redis command may take before the relay gives up and retries
     */
    public record Redis(
            @DefaultValue("redis://127.0.0.1:6379") String url,
            @DefaultValue("standalone") RedisConnector.Mode mode,
            @DefaultValue("2s") Duration commandTimeout) {}

    /**
     * @param batchSize events of one branch published in one Redis call
     * @param pollInterval how often the relay looks for work when no commit woke it
     * @param maxBackoff longest wait between attempts for a branch whose Redis (shard) is unreachable,
     *     or while the outbox cannot be read; other branches are relayed meanwhile
     * @param streamMaxLength entries kept per branch stream (approximate trim)
     * @param streamMaxAge how long an entry is kept in a branch stream
     * @param snapshotCheckInterval how often snapshots in Redis are checked; a lost one means Redis lost
     *     the branch's data: its stream is written back from the outbox and the snapshot re-seeded
     * @param trimInterval how often streams are trimmed by age, and sent rows past the retention deleted
     * @param retention how long sent events stay in the outbox: a Redis stream that lost them (Redis
     *     restarted empty, failed over, was flushed) is written back from it; at least the stream's max age
     */
    public record Outbox(
            @DefaultValue("200") int batchSize,
            @DefaultValue("1s") Duration pollInterval,
            @DefaultValue("5s") Duration maxBackoff,
            @DefaultValue("10000") long streamMaxLength,
            @DefaultValue("24h") Duration streamMaxAge,
            @DefaultValue("2s") Duration snapshotCheckInterval,
            @DefaultValue("1m") Duration trimInterval,
            @DefaultValue("48h") Duration retention) {}

    /**
     * @param realtimeUrls base URLs of the realtime nodes; a page tries them in turn and fails over.
     *     {@code {host}} stands for the host name the page was loaded from (the token cookie is sent
     *     to the same host on any port). Empty: the page's own origin, as behind a load balancer.
     * @param hiddenDisconnectAfter once every tab of a browser has been hidden this long, its stream
     *     closes; it resumes, losslessly, when a tab is shown again
     * @param backgroundAlertRoles roles whose browsers keep the stream while every tab is hidden, so
     *     browser notifications arrive in the background (phones and tablets close it all the same)
     * @param criticalPopupRoles roles whose screens stop for a product that became critical with a
     *     popup to confirm; the others (a kasir mid-sale) get a toast that groups what came together,
     *     and the navbar's list. Either way once per product per session
     */
    public record Web(
            @DefaultValue({"//{host}:8081", "//{host}:8082"}) List<String> realtimeUrls,
            @DefaultValue("2m") Duration hiddenDisconnectAfter,
            @DefaultValue({"ADMIN", "SUPER_ADMIN"}) java.util.Set<id.optikmelati.contract.Role> backgroundAlertRoles,
            @DefaultValue({"ADMIN", "SUPER_ADMIN"}) java.util.Set<id.optikmelati.contract.Role> criticalPopupRoles) {}

    /**
     * @param gaugeInterval how often today's omset and the low-stock counts are read for the gauges
     */
    public record Metrics(@DefaultValue("30s") Duration gaugeInterval) {}

    /**
     * @param forecastWindow the recent sales a product's daily rate is averaged over
     * @param leadTime how long a reorder takes to arrive; a product expected to run out sooner is warned about
     * @param safetyStock extra cover, in days of sales, a reorder suggestion adds
     */
    public record Reports(
            @DefaultValue("28d") Duration forecastWindow,
            @DefaultValue("7d") Duration leadTime,
            @DefaultValue("3d") Duration safetyStock) {}

    /**
     * @param headerTimeout how long a connection may take to send a whole request head (and how long it
     *     may stay idle before one); slower, it is closed
     * @param perAddress open TCP connections one client address may hold (0: no cap)
     * @param unlimitedAddresses addresses without that cap: the load balancer's, whose clients all arrive
     *     from them (it caps each client itself); by default the loopback, where a local proxy connects from
     */
    public record Connections(
            @DefaultValue("10s") Duration headerTimeout,
            @DefaultValue("256") int perAddress,
            @DefaultValue({"127.0.0.1", "0:0:0:0:0:0:0:1"}) java.util.Set<String> unlimitedAddresses) {}

    /**
     * @param overdueCheck how often orders past their promised date (and not ready) are looked for;
     *     each is announced overdue once, within this long of its date passing in {@code optik.zone}
     */
    public record Orders(@DefaultValue("1m") Duration overdueCheck) {}
}
