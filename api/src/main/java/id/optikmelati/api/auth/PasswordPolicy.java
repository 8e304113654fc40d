package id.optikmelati.api.auth;

import id.optikmelati.api.problem.ApiProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What a password must be: at least 10 characters, not one of the passwords people pick first
 * ({@code common-passwords.txt}), and not the username. Passwords are never logged or echoed.
 */
@Component
public class PasswordPolicy {

    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 200;
    /** No look-alikes (0/O, 1/l/I), so a temporary password can be read out to a colleague. */
    private static final String TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final Set<String> common;
    private final SecureRandom random = new SecureRandom();

    PasswordPolicy() {
        try (InputStream in = PasswordPolicy.class.getClassLoader().getResourceAsStream("common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("missing common-passwords.txt");
            }
            common = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Refuses a password that breaks a rule, with a 400 problem that names the rule, never the password. */
    public void check(String username, String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw ApiProblem.badRequest("password-too-short", MIN_LENGTH);
        }
        if (password.length() > MAX_LENGTH) {
            throw ApiProblem.badRequest("password-too-long", MAX_LENGTH);
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (common.contains(lower)) {
            throw ApiProblem.badRequest("password-common");
        }
        if (username != null && lower.contains(username.toLowerCase(Locale.ROOT))) {
            throw ApiProblem.badRequest("password-has-username");
        }
    }

    /** A fresh temporary password that passes the rules: 12 characters from an alphabet without look-alikes. */
    public String temporary() {
        StringBuilder sb = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            sb.append(TEMPORARY_ALPHABET.charAt(random.nextInt(TEMPORARY_ALPHABET.length())));
        }
        return sb.toString();
    }
}
