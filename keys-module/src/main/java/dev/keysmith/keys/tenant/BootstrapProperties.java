package dev.keysmith.keys.tenant;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * First-run bootstrap ({@code keysmith.bootstrap.*}, from {@code KEYSMITH_BOOTSTRAP_TENANT},
 * {@code _OWNER_EMAIL}, {@code _OWNER_PASSWORD}, {@code _KEY_FILE}).
 */
@ConfigurationProperties("keysmith.bootstrap")
record BootstrapProperties(String tenant, String ownerEmail, String ownerPassword, String keyFile) {

    boolean enabled() {
        return notBlank(tenant) && notBlank(ownerEmail) && notBlank(ownerPassword);
    }

    static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
