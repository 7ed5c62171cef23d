package dev.keysmith;

import dev.keysmith.keys.KeyIndex;
import dev.keysmith.keys.Verification;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code keyIndex} health component: DOWN from start-up until the verification index has caught up with the
 * event store (every key answers 503 until then), so a load balancer, or a test waiting for the node, sends no
 * traffic to a node that cannot verify yet.
 */
@Configuration(proxyBeanMethods = false)
class KeyIndexHealth {

    @Bean
    AbstractHealthIndicator keyIndexHealthIndicator(Verification verification, KeyIndex index) {
        return new AbstractHealthIndicator("Key index status unavailable") {
            @Override
            protected void doHealthCheck(Health.Builder builder) {
                (verification.ready() ? builder.up() : builder.down().withDetail("loading", true))
                        .withDetail("keys", index.size());
            }
        };
    }
}
