package dev.keysmith.keys.apikey;

import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyIpAllowlistChanged;
import dev.keysmith.keys.events.ApiKeyRenamed;
import dev.keysmith.keys.events.ApiKeyRevoked;
import dev.keysmith.keys.events.ApiKeyRotated;
import dev.keysmith.keys.events.PlanChanged;
import dev.keysmith.keys.events.TenantRegistered;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * The events this node's commands store reach this node's verification index as soon as their transaction has
 * committed (a subscribing processor, applying after commit: an event whose commit fails never reaches the index).
 * The index's tracking processor delivers them again later, which changes nothing (its rules are idempotent). So a
 * created key works, and a revoked key stops, before the command returns, even while the tracking processor is
 * retrying after an event store outage.
 */
@Component
@ProcessingGroup(KeyIndexLocalFeed.GROUP)
class KeyIndexLocalFeed {

    static final String GROUP = "key-index-local";

    private final InMemoryKeyIndex index;

    KeyIndexLocalFeed(InMemoryKeyIndex index) {
        this.index = index;
    }

    @EventHandler
    void on(TenantRegistered event) {
        afterCommit(() -> index.on(event));
    }

    @EventHandler
    void on(PlanChanged event) {
        afterCommit(() -> index.on(event));
    }

    @EventHandler
    void on(ApiKeyCreated event) {
        afterCommit(() -> index.on(event));
    }

    @EventHandler
    void on(ApiKeyRenamed event) {
        afterCommit(() -> index.on(event));
    }

    @EventHandler
    void on(ApiKeyIpAllowlistChanged event) {
        afterCommit(() -> index.on(event));
    }

    @EventHandler
    void on(ApiKeyRevoked event, @Timestamp Instant at) {
        afterCommit(() -> index.on(event, at));
    }

    @EventHandler
    void on(ApiKeyRotated event, @Timestamp Instant at) {
        afterCommit(() -> index.on(event, at));
    }

    private static void afterCommit(Runnable apply) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(unitOfWork -> apply.run());
        } else {
            apply.run();
        }
    }
}
