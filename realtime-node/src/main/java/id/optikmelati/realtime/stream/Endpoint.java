package id.optikmelati.realtime.stream;

/** The streams a screen can open, on the paths the shop's old system used. */
public enum Endpoint {
    /** {@code stock} events: the {@code stock.changed} payload. */
    STOCK_UPDATES("/realtime/stock-updates"),
    /** {@code omset} events: the branch's omset today, first on connect and after every sale. */
    OMSET_KASIR("/realtime/omset-kasir"),
    /** {@code notification} events: new sale (admins), order ready, product became critical. */
    NOTIFICATIONS("/realtime/notifications"),
    /** Everything a dashboard needs, on one connection. */
    DASHBOARD("/realtime/dashboard");

    private final String path;

    Endpoint(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** Whether a fresh connection starts with the current omset figure. */
    boolean startsWithOmset() {
        return this == OMSET_KASIR || this == DASHBOARD;
    }
}
