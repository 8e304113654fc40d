package id.optikmelati.api.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * Indonesian unless asked otherwise: a language chosen in the UI ({@code ?lang=en}, kept in a
 * cookie) wins; the REST API (and its description) also follows {@code Accept-Language}; pages do
 * not, since shop computers often run an English browser for staff who read Indonesian.
 */
@Configuration
public class ShopLocale implements WebMvcConfigurer {

    public static final Locale INDONESIAN = Locale.forLanguageTag("id");
    static final String COOKIE = "optik_lang";
    private static final List<Locale> SUPPORTED = List.of(INDONESIAN, Locale.ENGLISH);

    @Bean
    LocaleResolver localeResolver() {
        return new LocaleResolver() {
            @Override
            public Locale resolveLocale(HttpServletRequest request) {
                if (request.getAttribute(COOKIE) instanceof Locale chosen) {
                    return chosen; // chosen in this very request (?lang=)
                }
                Cookie[] cookies = request.getCookies();
                if (cookies != null) {
                    for (Cookie c : cookies) {
                        if (COOKIE.equals(c.getName())) {
                            return "en".equals(c.getValue()) ? Locale.ENGLISH : INDONESIAN;
                        }
                    }
                }
                String accept = request.getHeader(HttpHeaders.ACCEPT_LANGUAGE);
                if (accept != null && RestCalls.is(request)) {
                    try {
                        Locale match = Locale.lookup(Locale.LanguageRange.parse(accept), SUPPORTED);
                        return match != null ? match : INDONESIAN;
                    } catch (IllegalArgumentException malformed) {
                        return INDONESIAN;
                    }
                }
                return INDONESIAN;
            }

            @Override
            public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
                String lang = locale != null && locale.getLanguage().equals("en") ? "en" : "id";
                request.setAttribute(COOKIE, lang.equals("en") ? Locale.ENGLISH : INDONESIAN);
                response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(COOKIE, lang).path("/")
                        .maxAge(Duration.ofDays(365)).sameSite("Lax").httpOnly(true).build().toString());
            }
        };
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor change = new LocaleChangeInterceptor();
        change.setParamName("lang");
        change.setIgnoreInvalidLocale(true);
        registry.addInterceptor(change);
    }
}
