package id.optikmelati.realtime.screen;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ScreenMessages;
import id.optikmelati.realtime.wire.SseMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every message of a stream that is not a live event, built in one place: the first frame, the
 * first omset figure, {@code reset}, {@code reconnect} and {@code token-expired}. Each that asks
 * the browser to come back carries a {@code retry:} of the base plus random jitter, so a node's
 * screens do not all return in the same millisecond.
 */
public final class ControlMessages {

    private final Duration retryBase;
    private final Duration retryJitter;

    public ControlMessages(Duration retryBase, Duration retryJitter) {
        this.retryBase = retryBase;
        this.retryJitter = retryJitter;
    }

    /** The reconnect delay for one message: the base plus up to the jitter. */
    Duration retry() {
        long extra = retryJitter.isZero() ? 0 : ThreadLocalRandom.current().nextLong(retryJitter.toMillis() + 1);
        return retryBase.plusMillis(extra);
    }

    /** A stream's first frame: a comment and the stream's own retry delay. */
    public SseMessage hello() {
        return new SseMessage(null, null, retry(), null, "connected");
    }

    /** The branch's omset today, first on a fresh stream that shows it; {@code id} may be empty (no position yet). */
    public SseMessage omset(String id, Payloads.Omset omset) {
        return new SseMessage(id, ScreenMessages.OMSET, null, EventCodec.toJsonBytes(omset), null);
    }

    public SseMessage reset(String id, ScreenMessages.ResetReason reason, List<ScreenMessages.BranchState> branches) {
        return new SseMessage(id, ScreenMessages.RESET, retry(),
                EventCodec.toJsonBytes(new ScreenMessages.Reset(reason, branches)), null);
    }

    public SseMessage reconnect(ScreenMessages.ReconnectReason reason) {
        return new SseMessage(null, ScreenMessages.RECONNECT, retry(),
                EventCodec.toJsonBytes(new ScreenMessages.Reconnect(reason)), null);
    }

    /** The stream's token ran out: the page renews it and goes on. */
    public SseMessage tokenExpired() {
        return new SseMessage(null, ScreenMessages.TOKEN_EXPIRED, retry(),
                EventCodec.toJsonBytes(ScreenMessages.TokenExpired.expired()), null);
    }

    /** The stream's account or session was ended: the page asks its user to log in again. */
    public SseMessage tokenRevoked() {
        return new SseMessage(null, ScreenMessages.TOKEN_EXPIRED, retry(),
                EventCodec.toJsonBytes(ScreenMessages.TokenExpired.revoked()), null);
    }
}
