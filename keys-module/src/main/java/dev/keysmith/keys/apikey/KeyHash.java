package dev.keysmith.keys.apikey;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * A SHA-256 as four longs: the verification index's map key. 48 bytes on the heap where the 64-character hex
 * string took 104; equality compares all 256 bits.
 */
final class KeyHash {

    private final long a;
    private final long b;
    private final long c;
    private final long d;

    private KeyHash(long a, long b, long c, long d) {
        this.a = a;
        this.b = b;
        this.c = c;
        this.d = d;
    }

    static KeyHash of(byte[] sha256) {
        if (sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 has 32 bytes, not " + sha256.length);
        }
        ByteBuffer bytes = ByteBuffer.wrap(sha256);
        return new KeyHash(bytes.getLong(), bytes.getLong(), bytes.getLong(), bytes.getLong());
    }

    static KeyHash ofHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyHash hash && a == hash.a && b == hash.b && c == hash.c && d == hash.d;
    }

    /** The hash is uniformly random already: its first long is as good a hash code as any. */
    @Override
    public int hashCode() {
        return (int) (a ^ (a >>> 32));
    }

    @Override
    public String toString() {
        return HexFormat.of().toHexDigits(a) + HexFormat.of().toHexDigits(b) + HexFormat.of().toHexDigits(c)
                + HexFormat.of().toHexDigits(d);
    }
}
