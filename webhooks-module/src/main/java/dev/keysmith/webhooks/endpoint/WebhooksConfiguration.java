package dev.keysmith.webhooks.endpoint;

import dev.keysmith.webhooks.WebhooksProperties;
import dev.keysmith.webhooks.delivery.TargetGuard;
import dev.keysmith.webhooks.delivery.WebhookSender;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Clock;

/** The webhook module's wiring: settings, the secrets cipher, the SSRF guard and the HTTP sender. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhooksProperties.class)
class WebhooksConfiguration {

    /**
     * The cipher of webhook secrets: {@code keysmith.secrets-key} ({@code KEYSMITH_SECRETS_KEY}); without it, a key
     * file generated in the data directory, but only for the embedded stores (with an external MongoDB the key
     * must be configured, or start-up fails with a clear message).
     */
    @Bean
    SecretCipher secretCipher(@Value("${keysmith.secrets-key:}") String configured,
                              @Value("${keysmith.data-dir:data}") Path dataDir,
                              @Value("${keysmith.mongodb-uri:}") String mongodbUri) {
        return SecretCipher.load(configured, dataDir, mongodbUri == null || mongodbUri.isBlank());
    }

    @Bean
    TargetGuard webhookTargetGuard(WebhooksProperties properties) {
        return new TargetGuard(properties.insecureTargetsAllowed());
    }

    @Bean(destroyMethod = "close")
    WebhookSender webhookSender(TargetGuard guard, WebhooksProperties properties) {
        return new WebhookSender(guard, properties.timeout());
    }

    @Bean
    Clock webhooksClock() {
        return Clock.systemUTC();
    }
}
