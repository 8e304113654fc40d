package id.optikmelati.realtime.admission;

import com.fasterxml.jackson.annotation.JsonInclude;
import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.ProblemTypes;
import java.util.List;
import java.util.Locale;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * A refusal as problem+json (RFC 9457): its own {@code type}, the title and detail in the
 * request's language (Indonesian unless it asks for English), the path as {@code instance}.
 */
public final class RefusalProblems {

    private static final Locale INDONESIAN = Locale.forLanguageTag("id");
    private static final List<Locale> SUPPORTED = List.of(INDONESIAN, Locale.ENGLISH);

    private final ResourceBundleMessageSource messages = new ResourceBundleMessageSource();

    public RefusalProblems() {
        messages.setBasename("realtime-messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Problem(String type, String title, int status, String detail, String instance) {}

    /** The body of a refusal, for a request that accepts {@code languages} (best first) at {@code path}. */
    public byte[] body(Admission.Refused refused, List<Locale.LanguageRange> languages, String path) {
        return body(refused.refusal(), refused.args(), languages, path);
    }

    /**
     * The body of {@code r} with its detail's {@code args}. {@code path} is the client's own input:
     * it is cut to a short excerpt, and JSON escapes it.
     */
    public byte[] body(Refusal r, Object[] args, List<Locale.LanguageRange> languages, String path) {
        Locale locale = languageOf(languages);
        String title = messages.getMessage("refusal." + r.code() + ".title", null, locale);
        String detail = messages.getMessage("refusal." + r.code() + ".detail", args, locale);
        return EventCodec.toJsonBytes(new Problem(ProblemTypes.of(r.code()).toString(), title, r.status().value(),
                detail, excerpt(path)));
    }

    /** At most {@value #EXCERPT} characters of what a client sent, so an answer never echoes a whole input. */
    static String excerpt(String input) {
        if (input == null || input.length() <= EXCERPT) {
            return input;
        }
        return input.substring(0, EXCERPT) + "…";
    }

    private static final int EXCERPT = 120;

    /** The languages a request accepts, best first; none if its Accept-Language does not parse. */
    public static List<Locale.LanguageRange> languages(org.springframework.http.HttpHeaders headers) {
        return languages(headers.getFirst(org.springframework.http.HttpHeaders.ACCEPT_LANGUAGE));
    }

    public static List<Locale.LanguageRange> languages(String acceptLanguage) {
        try {
            return acceptLanguage == null ? List.of() : Locale.LanguageRange.parse(acceptLanguage);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    static Locale languageOf(List<Locale.LanguageRange> languages) {
        Locale best = Locale.lookup(languages, SUPPORTED);
        return best == null ? INDONESIAN : best;
    }
}
