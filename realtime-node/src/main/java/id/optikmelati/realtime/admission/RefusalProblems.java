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
        Locale locale = languageOf(languages);
        Refusal r = refused.refusal();
        String title = messages.getMessage("refusal." + r.code() + ".title", null, locale);
        String detail = messages.getMessage("refusal." + r.code() + ".detail", refused.args(), locale);
        return EventCodec.toJsonBytes(new Problem(ProblemTypes.of(r.code()).toString(), title, r.status().value(),
                detail, path));
    }

    static Locale languageOf(List<Locale.LanguageRange> languages) {
        Locale best = Locale.lookup(languages, SUPPORTED);
        return best == null ? INDONESIAN : best;
    }
}
