package id.optikmelati.api.auth;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.problem.ProblemWriter;
import id.optikmelati.api.web.RestCalls;
import id.optikmelati.contract.AccessTokens;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.session.NullAuthenticatedSessionStrategy;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;

@Configuration
class SecurityConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The demo profile's well-known secret starts with this; no other profile may use it. */
    static final String DEMO_SECRET_PREFIX = "optik-melati-demo-secret";

    @Bean
    AccessTokens accessTokens(ShopProperties properties, Clock clock, org.springframework.core.env.Environment env) {
        String secret = properties.auth().jwtSecret();
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException("optik.auth.jwt-secret (OPTIK_JWT_SECRET) is not set;"
                    + " give it at least 32 random bytes, the same on every API and realtime node");
        }
        if (secret.startsWith(DEMO_SECRET_PREFIX)
                && !env.matchesProfiles("demo")) {
            throw new IllegalStateException("the demo JWT secret is only allowed with the demo profile;"
                    + " set OPTIK_JWT_SECRET to a secret of your own");
        }
        return new AccessTokens(secret, clock);
    }

    /** bcrypt today, behind a delegating encoder so stored hashes can move to a stronger scheme. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, AccessTokens tokens, ProblemWriter problems, AccountStatus accounts,
            ShopProperties properties) throws Exception {
        CsrfTokenRequestAttributeHandler csrfHandler = new CsrfTokenRequestAttributeHandler();
        csrfHandler.setCsrfRequestAttributeName(null); // load the token on every request, so its cookie exists
        http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // CSRF is about credentials a browser sends by itself: the token cookie. Every form
                // and every POST from a page carries the token (the XSRF-TOKEN cookie, sent back as a
                // header or field), and that token is bound to the login session (SessionCsrfTokens).
                // An API call with a bearer header, or one to /api/ with no cookie at all, carries no
                // ambient credential and needs none.
                // No session to fixate: the token is not rotated on each authenticated request (with a
                // stateless session every request counts as a new authentication, and a rotation
                // would leave the forms a page was rendered with, and concurrent calls, with a stale one).
                .csrf(c -> c.csrfTokenRepository(new SessionCsrfTokens(tokens, properties.auth().jwtSecret(),
                                properties.auth().cookieSecure()))
                        .csrfTokenRequestHandler(csrfHandler)
                        .sessionAuthenticationStrategy(new NullAuthenticatedSessionStrategy())
                        .ignoringRequestMatchers(TokenAuthenticationFilter::hasBearer,
                                r -> !TokenAuthenticationFilter.hasTokenCookie(r) && r.getRequestURI().startsWith("/api/")))
                .addFilterBefore(new TokenAuthenticationFilter(tokens, problems, accounts),
                        UsernamePasswordAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.POST, "/api/auth/token", "/api/auth/refresh", "/api/auth/logout")
                        .permitAll()
                        .requestMatchers("/login", "/logout", "/css/**", "/js/**", "/webjars/**", "/favicon.ico",
                                "/error").permitAll()
                        // the probes on the public port; the rest of actuator is on the management port,
                        // which nothing public routes to (Prometheus scrapes it without a token)
                        .requestMatchers("/livez", "/readyz").permitAll()
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/prometheus",
                                "/actuator/info").permitAll()
                        // the reports, the transfers and the end of day are the admins': a kasir gets no page
                        // at all, not an empty one
                        .requestMatchers("/laporan", "/transfer", "/tutup-hari", "/tutup-hari/**")
                        .hasAnyRole("ADMIN", "SUPER_ADMIN")
                        // the REST API's description (springdoc), for the admins who integrate with it
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .hasAnyRole("ADMIN", "SUPER_ADMIN")
                        .anyRequest().authenticated())
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> {
                            if (isPage(req)) {
                                res.sendRedirect("/login");
                            } else {
                                problems.write(req, res, 401, "unauthenticated");
                            }
                        })
                        .accessDeniedHandler((req, res, ex) -> {
                            if (isPage(req) && !"POST".equals(req.getMethod())) {
                                res.sendError(403); // the error page (templates/error/403.html)
                            } else {
                                problems.write(req, res, 403, "forbidden");
                            }
                        }))
                .headers(h -> h
                        .addHeaderWriter(new ContentSecurityPolicy(properties.web().realtimeUrls()))
                        .frameOptions(f -> f.deny())
                        .referrerPolicy(r -> r.policy(
                                org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable());
        return http.build();
    }

    /** A browser navigating to a page (sent to the login form), not a REST or actuator call (401 problem). */
    private static boolean isPage(jakarta.servlet.http.HttpServletRequest request) {
        return !RestCalls.is(request) && !request.getRequestURI().startsWith("/actuator");
    }
}
