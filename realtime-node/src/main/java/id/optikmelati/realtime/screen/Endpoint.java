package id.optikmelati.realtime.screen;

import java.util.Arrays;
import java.util.Optional;

/** The streams a screen can open, on the paths the shop's old system used. */
public enum Endpoint {
    /** {@code stock} events: the {@code stock.changed} payload. */
    STOCK_UPDATES("stock-updates"),
    /** {@code omset} events: the branch's omset today, first on connect and after every sale. */
    OMSET_KASIR("omset-kasir"),
    /** {@code notification} events: new sale (admins), order ready, product became critical. */
    NOTIFICATIONS("notifications"),
    /** Everything a dashboard needs, on one connection. */
    DASHBOARD("dashboard");

    private final String name;

    Endpoint(String name) {
        this.name = name;
    }

    /** The stream's path, {@code /realtime/<name>}; also its metrics label. */
    public String path() {
        return "/realtime/" + name;
    }

    /** The stream of {@code /realtime/<name>}, if there is one. */
    public static Optional<Endpoint> named(String name) {
        return Arrays.stream(values()).filter(e -> e.name.equals(name)).findFirst();
    }

    /** Whether a fresh connection starts with the current omset figure. */
    public boolean startsWithOmset() {
        return this == OMSET_KASIR || this == DASHBOARD;
    }
}
