package id.optikmelati.api.transfer;

/**
 * Where a transfer stands. Its stock: still in the sending branch while requested; in transit
 * (counted in neither branch) once sent; in the receiving branch once received, less any shortfall;
 * back in the sending branch if a sent transfer is cancelled.
 */
public enum TransferStatus {
    REQUESTED, SENT, RECEIVED, CANCELLED
}
