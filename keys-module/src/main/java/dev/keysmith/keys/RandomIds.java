package dev.keysmith.keys;

import java.security.SecureRandom;

/** Random identifiers and secrets in base62, from one {@link SecureRandom}. */
public final class RandomIds {

    static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomIds() {
    }

    public static String base62(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = BASE62[RANDOM.nextInt(BASE62.length)];
        }
        return new String(out);
    }

    public static String hex(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = Character.forDigit(RANDOM.nextInt(16), 16);
        }
        return new String(out);
    }
}
