package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeySecrets;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.Verification;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.TenantRegistered;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws well over 10,000 malformed, truncated, Unicode, overlong and near-miss headers at verification, with a real
 * key in the index: none is accepted, none throws. (The HTTP variant sends the ASCII part of the corpus.)
 */
class VerificationFuzzTests {

    static final long SEED = 20261123L;

    final InMemoryKeyIndex index = new InMemoryKeyIndex();
    final Verification verification = new Verification(index);
    final KeySecrets.NewSecret valid = KeySecrets.generate(Environment.PRODUCTION);

    VerificationFuzzTests() {
        TenantId tenant = TenantId.generate();
        index.on(new TenantRegistered(tenant, "Fuzz", "0123456789abcdef01234567", 1001, Plan.PRO, MemberId.generate(),
                "owner@example.com"));
        index.on(new ApiKeyCreated(ApiKeyId.generate(), tenant, "Valid", Environment.PRODUCTION, null, List.of(), null,
                valid.hash(), valid.prefix(), valid.last4(), false));
    }

    /** The corpus: deterministic from SEED, at least 10,000 headers, none of them acceptable. */
    static List<String> corpus(String validKey, int size) {
        Random random = new Random(SEED);
        List<String> headers = new ArrayList<>();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/= .:é漢🔑\u0000\t\u200b";
        while (headers.size() < size) {
            String candidate;
            switch (random.nextInt(10)) {
                case 0 -> candidate = validKey.substring(0, random.nextInt(validKey.length()));
                case 1 -> {
                    char[] chars = validKey.toCharArray();
                    int at = 8 + random.nextInt(chars.length - 8);
                    char replacement;
                    do {
                        replacement = alphabet.charAt(random.nextInt(alphabet.length()));
                    } while (replacement == chars[at]);
                    chars[at] = replacement;
                    candidate = new String(chars);
                }
                case 2 -> candidate = validKey + alphabet.charAt(random.nextInt(alphabet.length()));
                case 3 -> candidate = validKey.replace("ks_live_", List.of("ks_test_", "ks_dev_", "KS_LIVE_", "ks-live-",
                        "ks_prod_", "sk_live_").get(random.nextInt(6)));
                case 4 -> candidate = validKey.substring(0, validKey.length() - 1 - random.nextInt(5))
                        + "x".repeat(random.nextInt(3));
                case 5 -> {
                    StringBuilder noise = new StringBuilder();
                    int length = random.nextInt(120);
                    for (int i = 0; i < length; i++) {
                        noise.append(alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                    candidate = noise.toString();
                }
                case 6 -> candidate = "ks_live_" + "a".repeat(random.nextInt(2000));
                case 7 -> {
                    String body = "ks_live_" + randomBase62(random, 32);
                    candidate = body + randomBase62(random, 6);
                }
                case 8 -> candidate = new StringBuilder(validKey).reverse().toString();
                default -> candidate = validKey.toUpperCase();
            }
            String[] wrappers = {"Bearer %s", "%s", "Bearer Bearer %s", "Bearer%s", "bearer  %s ", "Token %s",
                    "Bearer %s, Bearer %s", "Bearer \"%s\""};
            String wrapper = wrappers[random.nextInt(wrappers.length)];
            String header = wrapper.replace("%s", candidate);
            if (!header.contains(validKey) || !isExactlyValid(header, validKey)) {
                headers.add(header);
            }
        }
        return headers;
    }

    private static boolean isExactlyValid(String header, String validKey) {
        String stripped = header.strip();
        return stripped.regionMatches(true, 0, "Bearer", 0, 6) && stripped.length() > 6
                && Character.isWhitespace(stripped.charAt(6)) && stripped.substring(6).strip().equals(validKey);
    }

    private static String randomBase62(Random random, int length) {
        String base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(base62.charAt(random.nextInt(62)));
        }
        return out.toString();
    }

    @Test
    void noMalformedOrNearMissHeaderIsAcceptedAndNoneThrows() throws Exception {
        InetAddress caller = InetAddress.getByName("127.0.0.1");
        List<String> corpus = corpus(valid.plaintext(), 12_000);
        int accepted = 0;
        for (String header : corpus) {
            Verification.Result result = verification.verifyHeader(header, null, caller, Instant.now());
            if (result.ok()) {
                accepted++;
            }
            assertThat(result.code().status()).isBetween(200, 403);
            assertThat(result.detail() == null ? "" : result.detail()).doesNotContain(valid.plaintext());
        }
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(10_000);
        assertThat(accepted).isZero();
        assertThat(verification.verifyHeader("Bearer " + valid.plaintext(), null, caller, Instant.now()).ok())
                .as("the real key itself is accepted").isTrue();
    }

    @Test
    void whileTheIndexLoadsEveryKeyIsUnavailableEvenOneItHoldsForItMayBeRevokedLaterInTheStream() throws Exception {
        Verification loading = new Verification(index, () -> false);
        InetAddress caller = InetAddress.getByName("127.0.0.1");
        Verification.Result miss = loading.verifyHeader("Bearer " + KeySecrets.generate(Environment.PRODUCTION)
                .plaintext(), null, caller, Instant.now());
        assertThat(miss.code()).isEqualTo(Verification.Code.SERVICE_UNAVAILABLE);
        assertThat(miss.code().status()).isEqualTo(503);
        assertThat(miss.facts()).containsEntry("retryAfterSeconds", 1);
        Verification.Result held = loading.verifyHeader("Bearer " + valid.plaintext(), null, caller, Instant.now());
        assertThat(held.code()).isEqualTo(Verification.Code.SERVICE_UNAVAILABLE);
        assertThat(held.key()).as("nothing about the key is told before the index is current").isNull();
        assertThat(loading.ready()).isFalse();
        assertThat(verification.ready()).isTrue();
        assertThat(verification.verifyHeader("Bearer " + valid.plaintext(), null, caller, Instant.now()).ok()).isTrue();
    }

    @Test
    void malformedKeysAreRefusedBeforeAnyLookup() {
        Verification.Result result = verification.verifyHeader("Bearer " + valid.plaintext().substring(1), null, null,
                Instant.now());
        assertThat(result.code()).isEqualTo(Verification.Code.MALFORMED_KEY);
        assertThat(KeySecrets.wellFormed(valid.plaintext())).isEqualTo(Environment.PRODUCTION);
    }
}
