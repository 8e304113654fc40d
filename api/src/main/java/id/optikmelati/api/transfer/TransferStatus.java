package id.optikmelati.api.transfer;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.support.DefaultMessageSourceResolvable;

/**
 * Where a transfer stands. Its stock: still in the sending branch while requested; in transit
 * (counted in neither branch) once sent; in the receiving branch once received, less any shortfall;
 * back in the sending branch if a sent transfer is cancelled.
 */
public enum TransferStatus {
    REQUESTED, SENT, RECEIVED, CANCELLED;

    /** Its name as the transfers page shows it, for problem details in the caller's language. */
    public MessageSourceResolvable label() {
        return new DefaultMessageSourceResolvable("js.transfers.status." + name());
    }
}
