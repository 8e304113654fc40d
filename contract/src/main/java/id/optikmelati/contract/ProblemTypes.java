package id.optikmelati.contract;

import java.net.URI;

/**
 * The {@code type} of every problem+json answer (RFC 9457) the API and the realtime nodes give: one
 * URI per kind of problem, so clients can tell them apart without reading the text.
 */
public final class ProblemTypes {

    private static final String BASE = "https://optikmelati.id/problems/";

    private ProblemTypes() {}

    /** The type of the problem with this code, e.g. {@code stream-limit}. */
    public static URI of(String code) {
        return URI.create(BASE + code);
    }
}
