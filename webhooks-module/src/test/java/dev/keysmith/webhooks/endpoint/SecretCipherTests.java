package dev.keysmith.webhooks.endpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretCipherTests {

    @TempDir
    Path dataDir;

    @Test
    void generatesAMode600KeyFileOnceAndReusesIt() throws Exception {
        SecretCipher first = SecretCipher.load(null, dataDir, true);
        Path file = dataDir.resolve(SecretCipher.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String sealed = first.encrypt("whsec_abc", "whep_1:1");
        assertThat(sealed).doesNotContain("whsec_abc");
        assertThat(SecretCipher.load(null, dataDir, true).decrypt(sealed, "whep_1:1")).isEqualTo("whsec_abc");
    }

    @Test
    void aCiphertextMovedToAnotherRecordOrUnderAnotherKeyFails() {
        SecretCipher cipher = SecretCipher.load(Base64.getEncoder().encodeToString(new byte[32]), dataDir, false);
        String sealed = cipher.encrypt("whsec_abc", "whep_1:1");
        assertThatThrownBy(() -> cipher.decrypt(sealed, "whep_2:1")).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("whsec_abc");
        byte[] other = new byte[32];
        other[0] = 1;
        assertThatThrownBy(() -> SecretCipher.load(Base64.getEncoder().encodeToString(other), dataDir, false)
                .decrypt(sealed, "whep_1:1")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void malformedOrMissingKeysFailFastWithAClearMessage() {
        assertThatThrownBy(() -> SecretCipher.load("not base64!", dataDir, true))
                .hasMessageContaining("not valid base64").hasMessageContaining("32");
        assertThatThrownBy(() -> SecretCipher.load(Base64.getEncoder().encodeToString(new byte[16]), dataDir, true))
                .hasMessageContaining("16 bytes").hasMessageContaining("exactly 32");
        assertThatThrownBy(() -> SecretCipher.load(null, dataDir, false))
                .hasMessageContaining("KEYSMITH_SECRETS_KEY is not set");
    }
}
