package dev.keysmith.keys;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Settings of API keys ({@code keysmith.keys.*}).
 *
 * @param managementPerMinute creates and rotations a tenant may make per minute (default 10)
 * @param temporaryKeyTtl     lifetime of keys from the temporary-key route (default 15 minutes)
 * @param certsToken          the service token of the temporary-key route ({@code KEYSMITH_CERTS_TOKEN}); blank = off
 * @param expirySweep         how often expired keys are recorded as {@code ApiKeyExpired} (default 30 s)
 * @param usageFlush          how often each key's usage is recorded as one {@code ApiKeyUsed} (default 10 s)
 * @param spikeMultiple       a key spikes when its rate over one flush interval exceeds this multiple of its
 *                            baseline (default 10)
 * @param spikeMinRatePerMinute a rate below this (requests per minute) is never a spike (default 60), so a quiet
 *                            key going from 0 to 3 requests is not one
 * @param spikeBaselineWindow the span the baseline (an exponentially weighted moving average of the rate) follows
 *                            (default 1 hour)
 */
@ConfigurationProperties("keysmith.keys")
public record KeysProperties(Integer managementPerMinute, Duration temporaryKeyTtl, String certsToken,
                             Duration expirySweep, Duration usageFlush, Double spikeMultiple,
                             Double spikeMinRatePerMinute, Duration spikeBaselineWindow) {

    public KeysProperties {
        managementPerMinute = managementPerMinute != null ? managementPerMinute : 10;
        temporaryKeyTtl = temporaryKeyTtl != null ? temporaryKeyTtl : Duration.ofMinutes(15);
        expirySweep = expirySweep != null ? expirySweep : Duration.ofSeconds(30);
        usageFlush = usageFlush != null ? usageFlush : Duration.ofSeconds(10);
        spikeMultiple = spikeMultiple != null && spikeMultiple > 1 ? spikeMultiple : 10.0;
        spikeMinRatePerMinute = spikeMinRatePerMinute != null && spikeMinRatePerMinute >= 0 ? spikeMinRatePerMinute : 60.0;
        spikeBaselineWindow = spikeBaselineWindow != null && !spikeBaselineWindow.isNegative()
                && !spikeBaselineWindow.isZero() ? spikeBaselineWindow : Duration.ofHours(1);
    }

    public boolean temporaryKeysEnabled() {
        return certsToken != null && !certsToken.isBlank();
    }
}
