package id.optikmelati.contract;

/** BPJS (national health insurance) or UMUM (paid by the customer). */
public enum PaymentType {
    BPJS,
    UMUM
}
