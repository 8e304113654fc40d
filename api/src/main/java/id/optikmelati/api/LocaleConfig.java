package id.optikmelati.api;

import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;

/** Indonesian unless the caller asks for English (Accept-Language). */
@Configuration
class LocaleConfig {

    static final Locale INDONESIAN = Locale.forLanguageTag("id");

    @Bean
    LocaleResolver localeResolver() {
        AcceptHeaderLocaleResolver resolver = new AcceptHeaderLocaleResolver();
        resolver.setDefaultLocale(INDONESIAN);
        resolver.setSupportedLocales(List.of(INDONESIAN, Locale.ENGLISH));
        return resolver;
    }
}
