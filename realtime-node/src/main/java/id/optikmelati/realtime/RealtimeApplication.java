package id.optikmelati.realtime;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RealtimeApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext node = builder().run(args);
        if (node.getBean(RealtimeProperties.class).trainingRun()) {
            // The JVM writes its AOT cache as it exits; the warm-up says whether what it saw is worth keeping.
            System.exit(SpringApplication.exit(node));
        }
    }

    /**
     * The node reads {@code realtime.yml} (not application.yml), so it can share a classpath with
     * the API in tests without either picking up the other's configuration.
     */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(RealtimeApplication.class)
                .web(WebApplicationType.REACTIVE)
                .properties("spring.config.name=realtime");
    }
}
