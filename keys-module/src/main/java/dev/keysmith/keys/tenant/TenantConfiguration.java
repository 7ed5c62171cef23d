package dev.keysmith.keys.tenant;

import dev.keysmith.keys.Actor;
import dev.keysmith.keys.PlanLimits;
import dev.keysmith.keys.TenantCommand;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Who-did-it metadata: each command is stamped with the {@link Actor#current() current actor} and its tenant, and
 * a correlation data provider copies that metadata onto every event the command causes.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PlanLimits.class, BootstrapProperties.class})
class TenantConfiguration {

    @Bean
    CorrelationDataProvider actorMetadataProvider() {
        return new SimpleCorrelationDataProvider(Actor.METADATA_KEYS);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    ActorStamp actorStamp(CommandBus commandBus) {
        ActorStamp stamp = new ActorStamp();
        commandBus.registerDispatchInterceptor(stamp);
        return stamp;
    }

    static final class ActorStamp implements MessageDispatchInterceptor<CommandMessage<?>> {

        @Override
        public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(
                List<? extends CommandMessage<?>> messages) {
            return (index, command) -> {
                Map<String, Object> metadata = new HashMap<>(Actor.current().asMetadata());
                if (command.getPayload() instanceof TenantCommand tenantCommand
                        && tenantCommand.tenantId() != null) {
                    metadata.put(Actor.TENANT_ID, tenantCommand.tenantId().value());
                }
                metadata.keySet().removeAll(command.getMetaData().keySet());
                return command.andMetaData(metadata);
            };
        }
    }
}
