package id.optikmelati.contract;

/**
 * Stock level bands the shop has always used: low at 5 or fewer, medium at 10 or fewer. The one
 * rule: the API's SQL binds {@link #LOW_MAX}, events carry the bands' wire names, and the screens
 * show what events and the API say.
 */
public enum AlertLevel {
    LOW,
    MEDIUM,
    NORMAL;

    public static final int LOW_MAX = 5;
    public static final int MEDIUM_MAX = 10;

    public static AlertLevel of(int stock) {
        if (stock <= LOW_MAX) {
            return LOW;
        }
        return stock <= MEDIUM_MAX ? MEDIUM : NORMAL;
    }

    /** Lower-case name used in JSON, as the old system did ("low", "medium", "normal"). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A product "becomes critical" when a change takes it from above the low band into it. */
    public static boolean becameCritical(int previousStock, int newStock) {
        return of(previousStock) != LOW && of(newStock) == LOW;
    }
}
