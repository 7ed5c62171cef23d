package dev.keysmith.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The key format: {@code ks_<env>_<32 base62 random><6 base62 CRC32>}, env being live, dev or test. The checksum
 * (CRC32 of everything before it) lets us and secret scanners reject a mistyped or foreign string before any
 * lookup. Only the SHA-256 of the whole key, its display prefix ({@code ks_live_} plus 4 random characters) and
 * its last four characters are ever stored.
 */
public final class KeySecrets {

    public static final int RANDOM_LENGTH = 32;
    public static final int CHECKSUM_LENGTH = 6;

    private KeySecrets() {
    }

    /** A freshly generated key: the plaintext (to show once) and what may be stored. */
    public record NewSecret(String plaintext, String hash, String prefix, String last4) {
        @Override
        public String toString() {
            return "NewSecret[" + prefix + "…" + last4 + "]";
        }
    }

    public static NewSecret generate(Environment environment) {
        String body = "ks_" + environment.keyTag() + "_" + RandomIds.base62(RANDOM_LENGTH);
        String key = body + checksum(body);
        return new NewSecret(key, sha256(key), prefixOf(key, environment), key.substring(key.length() - 4));
    }

    /**
     * The environment of a well-formed key whose checksum matches, or null for anything else (wrong prefix,
     * wrong length, a character outside base62, a bad checksum). Does no lookup and allocates little.
     */
    public static Environment wellFormed(String key) {
        if (key == null || key.length() < 3 + 3 + 1 + RANDOM_LENGTH + CHECKSUM_LENGTH || !key.startsWith("ks_")) {
            return null;
        }
        int underscore = key.indexOf('_', 3);
        if (underscore < 0) {
            return null;
        }
        Environment environment = Environment.ofKeyTag(key.substring(3, underscore));
        if (environment == null || key.length() != underscore + 1 + RANDOM_LENGTH + CHECKSUM_LENGTH) {
            return null;
        }
        for (int i = underscore + 1; i < key.length(); i++) {
            if (!isBase62(key.charAt(i))) {
                return null;
            }
        }
        int split = key.length() - CHECKSUM_LENGTH;
        return key.regionMatches(split, checksum(key.substring(0, split)), 0, CHECKSUM_LENGTH) ? environment : null;
    }

    public static String sha256(String key) {
        return HexFormat.of().formatHex(sha256Bytes(key));
    }

    /** The SHA-256 of a key as 32 bytes (what the verification index looks up). */
    public static byte[] sha256Bytes(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** What a person may see of a key: its prefix, a mask and its last four characters. */
    public static String masked(String prefix, String last4) {
        return prefix + "••••••••" + last4;
    }

    /** The 6-character base62 CRC32 of a key's body ({@code ks_<env>_<random>}); public for secret scanners. */
    public static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = RandomIds.BASE62[(int) (value % 62)];
            value /= 62;
        }
        return new String(out);
    }

    /** The display prefix ({@code ks_live_} plus 4 characters) of a well-formed key, or null for anything else. */
    public static String displayPrefix(String key) {
        Environment environment = key == null ? null : wellFormed(key);
        return environment == null ? null : prefixOf(key, environment);
    }

    private static String prefixOf(String key, Environment environment) {
        int start = 3 + environment.keyTag().length() + 1;
        return key.substring(0, start + 4);
    }

    private static boolean isBase62(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}
