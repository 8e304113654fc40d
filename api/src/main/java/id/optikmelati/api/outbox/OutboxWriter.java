package id.optikmelati.api.outbox;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.EventType;
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
 * <p>Order: {@link #nextSeq} bumps the branch's counter row and keeps it locked until commit, so two
 * transactions of one branch get their seqs in the order they commit. Call it as late as possible
 * in the transaction (after the change itself), and read anything the event reports (such as the
 * day's omset) after it, so the event agrees with every event before it.
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

    @Transactional(propagation = Propagation.MANDATORY)
    public long nextSeq(long branchId) {
        return jdbc.sql("update branch set event_seq = event_seq + 1 where id = :branch returning event_seq")
                .param("branch", branchId)
                .query(Long.class)
                .single();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void append(long branchId, long seq, EventType type, Object payload) {
        jdbc.sql("""
                        insert into outbox_event (branch_id, seq, type, payload, committed_at)
                        values (:branch, :seq, :type, cast(:payload as jsonb), clock_timestamp())
                        """)
                .param("branch", branchId)
                .param("seq", seq)
                .param("type", type.wireName())
                .param("payload", EventCodec.toJson(payload))
                .update();
        if (!TransactionSynchronizationManager.hasResource(signal)) {
            // Once per transaction: the NOTIFY reaches every API node's relay at commit; the local
            // relay is also woken directly.
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
}
