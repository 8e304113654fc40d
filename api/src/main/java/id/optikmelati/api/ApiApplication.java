package id.optikmelati.api;

import id.optikmelati.redis.RedisConnector;
import id.optikmelati.redis.RedisHealth;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ApiApplication {

    /** The node's one Redis client (outbox relay, snapshots, login throttling). */
    @Bean(destroyMethod = "close")
    RedisConnector redisConnector(ShopProperties properties) {
        return new RedisConnector(properties.redis().url(), properties.redis().mode(), properties.redis().commandTimeout());
    }

    /** The {@code redis} component of /actuator/health. */
    @Bean
    RedisHealth redisHealthIndicator(RedisConnector redis, ShopProperties properties) {
        return new RedisHealth(redis, properties.redis().commandTimeout());
    }

    public static void main(String[] args) {
        SpringApplication.run(ApiApplication.class, args);
    }
}
