package dev.keysmith.keys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The key format: generation, the offline well-formedness check with its CRC32 checksum, and what is stored. */
class KeySecretsTests {

    static final Pattern FORMAT = Pattern.compile("ks_(live|test|dev)_[0-9A-Za-z]{38}");
    static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    @ParameterizedTest
    @EnumSource(Environment.class)
    void generatedKeysHaveTheFormatAndAreWellFormed(Environment environment) {
        for (int i = 0; i < 200; i++) {
            KeySecrets.NewSecret secret = KeySecrets.generate(environment);
            assertThat(secret.plaintext()).matches(FORMAT).startsWith("ks_" + environment.keyTag() + "_");
            assertThat(KeySecrets.wellFormed(secret.plaintext())).isEqualTo(environment);
        }
    }

    @Test
    void theTagsAreLiveDevAndTest() {
        assertThat(KeySecrets.generate(Environment.PRODUCTION).plaintext()).startsWith("ks_live_");
        assertThat(KeySecrets.generate(Environment.DEVELOPMENT).plaintext()).startsWith("ks_dev_");
        assertThat(KeySecrets.generate(Environment.SANDBOX).plaintext()).startsWith("ks_test_");
    }

    @Test
    void generatedKeysDiffer() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(KeySecrets.generate(Environment.PRODUCTION).plaintext());
        }
        assertThat(keys).hasSize(1000);
    }

    @Test
    void theLastSixCharactersAreTheChecksumOfTheBody() {
        String key = KeySecrets.generate(Environment.PRODUCTION).plaintext();
        String body = key.substring(0, key.length() - 6);
        assertThat(key).endsWith(KeySecrets.checksum(body));
        assertThat(KeySecrets.checksum(body)).hasSize(6).matches("[0-9A-Za-z]{6}");
    }

    @ParameterizedTest
    @EnumSource(Environment.class)
    void everyOneCharacterChangeAfterThePrefixIsRejected(Environment environment) {
        String key = KeySecrets.generate(environment).plaintext();
        int start = ("ks_" + environment.keyTag() + "_").length();
        int checked = 0;
        for (int at = start; at < key.length(); at++) {
            for (char c : (BASE62 + "_-+/=. é\u0000").toCharArray()) {
                if (c == key.charAt(at)) {
                    continue;
                }
                String changed = key.substring(0, at) + c + key.substring(at + 1);
                assertThat(KeySecrets.wellFormed(changed)).as("%s (position %d -> %s)", changed, at, c).isNull();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(38 * 61);
    }

    @Test
    void aSwapOfTwoNeighboursIsRejected() {
        String key = KeySecrets.generate(Environment.PRODUCTION).plaintext();
        for (int at = 8; at < key.length() - 1; at++) {
            if (key.charAt(at) == key.charAt(at + 1)) {
                continue;
            }
            String swapped = key.substring(0, at) + key.charAt(at + 1) + key.charAt(at) + key.substring(at + 2);
            assertThat(KeySecrets.wellFormed(swapped)).as(swapped).isNull();
        }
    }

    @Test
    void truncationAndExtensionAreRejected() {
        String key = KeySecrets.generate(Environment.PRODUCTION).plaintext();
        for (int length = 0; length < key.length(); length++) {
            assertThat(KeySecrets.wellFormed(key.substring(0, length))).as("length %d", length).isNull();
        }
        for (char c : BASE62.toCharArray()) {
            assertThat(KeySecrets.wellFormed(key + c)).isNull();
            assertThat(KeySecrets.wellFormed(c + key)).isNull();
        }
        assertThat(KeySecrets.wellFormed(key + " ")).isNull();
        assertThat(KeySecrets.wellFormed(" " + key)).isNull();
        assertThat(KeySecrets.wellFormed(key + key)).isNull();
    }

    @Test
    void aWrongPrefixIsRejected() {
        String key = KeySecrets.generate(Environment.PRODUCTION).plaintext();
        String rest = key.substring("ks_live_".length());
        for (String prefix : new String[]{"ks_test_", "ks_dev_", "KS_LIVE_", "Ks_live_", "ks-live-", "ks_prod_",
                "sk_live_", "ks_live", "ks__live_", "ks_liv_", "ks_lives_", "ks_", ""}) {
            assertThat(KeySecrets.wellFormed(prefix + rest)).as(prefix + rest).isNull();
        }
    }

    @Test
    void aKeyWithAValidChecksumButAnUnknownTagIsRejected() {
        String body = "ks_prod_" + "a".repeat(32);
        assertThat(KeySecrets.wellFormed(body + KeySecrets.checksum(body))).isNull();
        String good = "ks_live_" + "a".repeat(32);
        assertThat(KeySecrets.wellFormed(good + KeySecrets.checksum(good))).isEqualTo(Environment.PRODUCTION);
    }

    @Test
    void nullAndGarbageAreRejected() {
        assertThat(KeySecrets.wellFormed(null)).isNull();
        assertThat(KeySecrets.wellFormed("")).isNull();
        assertThat(KeySecrets.wellFormed("ks_live_" + "é".repeat(38))).isNull();
        assertThat(KeySecrets.wellFormed("x".repeat(46))).isNull();
    }

    @Test
    void sha256IsTheLowercaseHexDigestOfTheWholeKey() throws Exception {
        KeySecrets.NewSecret secret = KeySecrets.generate(Environment.PRODUCTION);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(secret.plaintext().getBytes(StandardCharsets.UTF_8)));

        assertThat(secret.hash()).isEqualTo(expected).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(KeySecrets.sha256(secret.plaintext())).isEqualTo(secret.hash());
        assertThat(KeySecrets.sha256("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void thePrefixIsTheTagAndFourCharactersAndLast4IsTheEnd() {
        KeySecrets.NewSecret live = KeySecrets.generate(Environment.PRODUCTION);
        assertThat(live.prefix()).matches("ks_live_[0-9A-Za-z]{4}").isEqualTo(live.plaintext().substring(0, 12));
        assertThat(live.last4()).hasSize(4).isEqualTo(live.plaintext().substring(live.plaintext().length() - 4));

        KeySecrets.NewSecret dev = KeySecrets.generate(Environment.DEVELOPMENT);
        assertThat(dev.prefix()).matches("ks_dev_[0-9A-Za-z]{4}").isEqualTo(dev.plaintext().substring(0, 11));
        KeySecrets.NewSecret test = KeySecrets.generate(Environment.SANDBOX);
        assertThat(test.prefix()).matches("ks_test_[0-9A-Za-z]{4}").isEqualTo(test.plaintext().substring(0, 12));
    }

    @Test
    void toStringAndMaskedNeverShowTheSecret() {
        KeySecrets.NewSecret secret = KeySecrets.generate(Environment.PRODUCTION);
        String random = secret.plaintext().substring(12, secret.plaintext().length() - 4);
        assertThat(secret.toString()).doesNotContain(secret.plaintext()).doesNotContain(random)
                .doesNotContain(secret.hash()).contains(secret.prefix()).contains(secret.last4());
        assertThat(KeySecrets.masked(secret.prefix(), secret.last4()))
                .isEqualTo(secret.prefix() + "••••••••" + secret.last4()).doesNotContain(random);
    }
}
