package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyCommands.ExpireApiKey;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.Actor;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Records {@code ApiKeyExpired} for keys past their expiry (they are refused from the expiry instant itself; this
 * makes it part of the history and frees their slot). Safe on several nodes: the aggregate records an expiry
 * once, and a second node's command for the same key changes nothing.
 */
@Component
class ExpirySweeper {

    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);

    private final ApiKeyTableProjection table;
    private final CommandGateway commands;

    ExpirySweeper(ApiKeyTableProjection table, CommandGateway commands) {
        this.table = table;
        this.commands = commands;
    }

    @Scheduled(fixedDelayString = "${keysmith.keys.expiry-sweep:30s}", initialDelayString = "${keysmith.keys.expiry-sweep:30s}")
    void sweep() {
        sweep(Instant.now());
    }

    int sweep(Instant now) {
        int recorded = 0;
        for (ApiKeyView key : table.dueForExpiry(now, 500)) {
            try {
                Actor.runAs(Actor.system("expiry-sweeper"), () -> commands.sendAndWait(new ExpireApiKey(key.id(), key.tenantId())));
                recorded++;
            } catch (RuntimeException e) {
                log.warn("Could not record the expiry of key {}: {}", key.id(), e.toString());
            }
        }
        return recorded;
    }
}
