package dev.keysmith.keys.apikey;

import dev.keysmith.keys.KeyIndex;
import dev.keysmith.keys.KeysProperties;
import dev.keysmith.keys.Verification;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeysProperties.class)
class ApiKeyConfiguration {

    @Bean
    Verification verification(KeyIndex index) {
        return new Verification(index);
    }

    /** The verification index is rebuilt from the event stream at every start: its tracking token stays in memory. */
    @Bean
    ConfigurerModule keyIndexTokenInMemory() {
        return configurer -> configurer.eventProcessing(processing -> processing.registerTokenStore(
                InMemoryKeyIndex.GROUP, configuration -> new InMemoryTokenStore()));
    }
}
