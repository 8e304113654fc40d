package id.optikmelati.testkit;

import id.optikmelati.contract.EventCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Whether a module's {@code optik.*} properties, as its generated configuration metadata lists them,
 * each have a description (their {@code @param}) and are named in the README.
 */
public final class ConfigurationDocs {

    private ConfigurationDocs() {}

    /**
     * The properties that lack a description or that the README does not name: by their full name,
     * or, under {@code shortPrefix} (a README paragraph of that group), by the rest in backticks.
     */
    public static List<String> undocumented(String shortPrefix) {
        String readme = readme();
        List<String> missing = new ArrayList<>();
        for (JsonNode p : metadata().get("properties")) {
            String name = p.get("name").asString();
            if (!name.startsWith("optik.")) {
                continue;
            }
            boolean described = p.has("description") && !p.get("description").asString().isBlank();
            boolean named = readme.contains("`" + name) || (shortPrefix != null && name.startsWith(shortPrefix)
                    && readme.contains("`" + name.substring(shortPrefix.length()) + "`"));
            if (!described || !named) {
                missing.add(name + (described ? "" : " (no description)") + (named ? "" : " (not in README.md)"));
            }
        }
        return missing;
    }

    private static JsonNode metadata() {
        try (InputStream in = ConfigurationDocs.class.getClassLoader()
                .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            if (in == null) {
                throw new IllegalStateException("no configuration metadata on the classpath: is "
                        + "spring-boot-configuration-processor on the module's compile path?");
            }
            return EventCodec.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readme() {
        for (Path p : List.of(Path.of("README.md"), Path.of("..", "README.md"))) {
            if (Files.exists(p)) {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no README.md here or one folder up");
    }
}
