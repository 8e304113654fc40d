package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.testkit.ConfigurationDocs;
import org.junit.jupiter.api.Test;

/** Every optik.* property of the API has its description in the metadata and its place in the README. */
class ConfigurationDocsTest {

    @Test
    void everyPropertyIsDescribedAndInTheReadme() {
        assertThat(ConfigurationDocs.undocumented(null)).isEmpty();
    }
}
