package dev.keysmith.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * Audit settings ({@code keysmith.audit.*}).
 *
 * @param replayExcluded tracking processors that a replay must never reset: the in-memory key index (it replays at
 *                       every start anyway) and any processor with side effects outside our stores (the webhook
 *                       dispatcher: a replay would re-send deliveries)
 * @param exportBatch    records read from MongoDB per round trip while exporting or verifying
 * @param verifyTimeout  how long verification waits for this node's projections to catch up with the store
 */
@ConfigurationProperties("keysmith.audit")
public record AuditProperties(List<String> replayExcluded, Integer exportBatch, java.time.Duration verifyTimeout) {

    public AuditProperties {
        replayExcluded = replayExcluded != null ? List.copyOf(replayExcluded)
                : List.of("key-index", "webhook-dispatcher", "webhook-delivery");
        exportBatch = exportBatch != null && exportBatch > 0 ? exportBatch : 500;
        verifyTimeout = verifyTimeout != null ? verifyTimeout : java.time.Duration.ofSeconds(30);
    }
}
