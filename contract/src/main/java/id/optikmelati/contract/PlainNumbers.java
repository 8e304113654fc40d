package id.optikmelati.contract;

import java.util.OptionalLong;

/**
 * The one rule for a number a client writes outside a JSON body (a path, a query, a header, a
 * cursor): ASCII digits with an optional leading minus, and nothing else. Java's own parsing takes
 * a plus sign and other scripts' digits ({@code ٣} is 3), and Spring's trims and reads {@code 0x10}
 * as hex: a screen that asked for {@code ?branch=٣} watched branch 3.
 */
public final class PlainNumbers {

    private PlainNumbers() {}

    /** The value, or empty if {@code text} is not a plain integer or does not fit a long. */
    public static OptionalLong parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 20) {
            return OptionalLong.empty();
        }
        int start = text.charAt(0) == '-' ? 1 : 0;
        if (start == text.length()) {
            return OptionalLong.empty();
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException tooLarge) {
            return OptionalLong.empty();
        }
    }

    /** Like {@link #parse}, without a sign: a seq or an id as a cursor writes it. */
    public static OptionalLong parseUnsigned(String text) {
        return text == null || text.startsWith("-") ? OptionalLong.empty() : parse(text);
    }
}
