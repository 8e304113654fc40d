package id.optikmelati.api.outbox;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.EventType;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes events into the outbox inside the caller's transaction, so an event exists if and only if
 * its change committed.
 *
 * <p>Order: {@link #append} first bumps the branch's seq counter, which keeps the branch's row
 * locked until commit, and only then builds the payload. So two transactions of one branch get
 * their seqs in the order they commit, and whatever a payload reports (such as the day's omset) is
 * read after every earlier event of the branch committed: each event agrees with those before it.
 */
@Component
public class OutboxWriter {

    static final String NOTIFY_CHANNEL = "optik_outbox";

    private final JdbcClient jdbc;
    private final RelaySignal signal;

    OutboxWriter(JdbcClient jdbc, RelaySignal signal) {
        this.jdbc = jdbc;
        this.signal = signal;
    }

    /**
     * Appends the branch's next event; call it after the change itself.
     *
     * @param payload builds the event's payload, under the branch's lock
     * @return the event's seq
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public long append(long branchId, EventType type, Supplier<?> payload) {
        long seq = jdbc.sql("update branch set event_seq = event_seq + 1 where id = :branch returning event_seq")
                .param("branch", branchId)
                .query(Long.class)
                .single();
        jdbc.sql("""
                        insert into outbox_event (branch_id, seq, type, payload, committed_at)
                        values (:branch, :seq, :type, cast(:payload as jsonb), clock_timestamp())
                        """)
                .param("branch", branchId)
                .param("seq", seq)
                .param("type", type.wireName())
                .param("payload", EventCodec.toJson(payload.get()))
                .update();
        wakeRelaysAtCommit();
        return seq;
    }

    /**
     * Once per transaction: the NOTIFY reaches every API node's relay at commit; the local relay is
     * also woken directly.
     */
    private void wakeRelaysAtCommit() {
        if (TransactionSynchronizationManager.hasResource(signal)) {
            return;
        }
        jdbc.sql("select pg_notify('" + NOTIFY_CHANNEL + "', '')").query().singleRow();
        TransactionSynchronizationManager.bindResource(signal, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(signal);
                if (status == STATUS_COMMITTED) {
                    signal.wake();
                }
            }
        });
    }
}
