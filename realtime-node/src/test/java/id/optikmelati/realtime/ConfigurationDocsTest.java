package id.optikmelati.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.testkit.ConfigurationDocs;
import org.junit.jupiter.api.Test;

/** Every optik.realtime.* property has its description in the metadata and its place in the README. */
class ConfigurationDocsTest {

    @Test
    void everyPropertyIsDescribedAndInTheReadme() {
        assertThat(ConfigurationDocs.undocumented("optik.realtime.")).isEmpty();
    }
}
