package dev.keysmith.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Audit settings ({@code keysmith.audit.*}).
 *
 * @param replayExcluded tracking processors that a replay must never reset: the in-memory key index (it replays at
 *                       every start anyway) and any processor with side effects outside our stores (the webhook
 *                       dispatcher: a replay would re-send deliveries)
 * @param exportBatch    records read from MongoDB per round trip while exporting or verifying
 * @param verifyTimeout  how long verification waits for this node's projections to catch up with the store
 * @param replayOperators the email addresses of the members who may start replays: a replay rebuilds a projection
 *                        for every workspace of the deployment, so it is the operator's action, not any Owner's
 *                        (default: the bootstrap owner, {@code KEYSMITH_BOOTSTRAP_OWNER_EMAIL})
 */
@ConfigurationProperties("keysmith.audit")
public record AuditProperties(List<String> replayExcluded, Integer exportBatch, java.time.Duration verifyTimeout,
                              List<String> replayOperators) {

    public AuditProperties {
        replayExcluded = replayExcluded != null ? List.copyOf(replayExcluded)
                : List.of("key-index", "webhook-dispatcher", "webhook-delivery");
        exportBatch = exportBatch != null && exportBatch > 0 ? exportBatch : 500;
        verifyTimeout = verifyTimeout != null ? verifyTimeout : java.time.Duration.ofSeconds(30);
        replayOperators = replayOperators == null ? List.of() : replayOperators.stream().filter(Objects::nonNull)
                .map(email -> email.strip().toLowerCase(Locale.ROOT)).filter(email -> !email.isEmpty()).toList();
    }

    /** Whether the member with this email may start replays. */
    public boolean replayOperator(String email) {
        return email != null && replayOperators.contains(email.strip().toLowerCase(Locale.ROOT));
    }
}
