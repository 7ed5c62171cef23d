package dev.keysmith.webhooks.endpoint;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * AES-256-GCM for webhook signing secrets at rest. The key comes from {@code keysmith.secrets-key}
 * ({@code KEYSMITH_SECRETS_KEY}, base64 of 32 bytes) or, on an embedded run without it, from
 * {@code <data-dir>/secrets.key}, generated once with mode 600. Each ciphertext has its own random 96-bit nonce
 * and is bound (as associated data) to the record it belongs to, so a ciphertext copied to another record fails.
 */
public final class SecretCipher {

    static final String KEY_FILE = "secrets.key";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    SecretCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalStateException("The secrets key must be 32 bytes (AES-256); it has " + key.length + ".");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * The configured key, else the data directory's key file (created when {@code mayGenerate}), else a clear
     * start-up failure. Never logs the key.
     */
    public static SecretCipher load(String configured, Path dataDir, boolean mayGenerate) {
        if (configured != null && !configured.isBlank()) {
            return new SecretCipher(decode(configured.strip(), "keysmith.secrets-key (KEYSMITH_SECRETS_KEY)"));
        }
        Path file = dataDir.resolve(KEY_FILE);
        if (Files.exists(file)) {
            try {
                return new SecretCipher(decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the secrets key file " + file, e);
            }
        }
        if (!mayGenerate) {
            throw new IllegalStateException("KEYSMITH_SECRETS_KEY is not set: with an external MongoDB, configure "
                    + "the key that encrypts webhook secrets (base64 of 32 random bytes, e.g. `openssl rand -base64 32`).");
        }
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        try {
            Files.createDirectories(dataDir);
            Files.createFile(file);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                file.toFile().setReadable(false, false);
                file.toFile().setReadable(true, true);
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException raced) {
            return load(null, dataDir, false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the secrets key file " + file, e);
        }
        return new SecretCipher(key);
    }

    private static byte[] decode(String base64, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The secrets key in " + where + " is not valid base64: expected base64 "
                    + "of 32 random bytes (e.g. `openssl rand -base64 32`).");
        }
        if (key.length != 32) {
            throw new IllegalStateException("The secrets key in " + where + " decodes to " + key.length
                    + " bytes; AES-256 needs exactly 32 (e.g. `openssl rand -base64 32`).");
        }
        return key;
    }

    /** nonce || ciphertext+tag, base64. */
    String encrypt(String plaintext, String boundTo) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    String decrypt(String sealedBase64, String boundTo) {
        try {
            byte[] in = Base64.getDecoder().decode(sealedBase64);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A webhook secret could not be decrypted (" + boundTo
                    + "): was the secrets key changed?");
        }
    }
}
