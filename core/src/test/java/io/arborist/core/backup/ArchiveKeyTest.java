package io.arborist.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveKeyTest {
    private static final String HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @Test
    void a_seal_verifies_only_the_same_bytes_under_the_same_key() {
        ArchiveKey key = ArchiveKey.fromEnvironment(Map.of("K", HEX), "K");
        byte[] manifest = "{\"files\": []}".getBytes(StandardCharsets.UTF_8);
        String seal = key.seal(manifest);
        assertThat(seal).hasSize(64);
        assertThat(key.verifies(manifest, seal)).isTrue();
        assertThat(key.verifies("{\"files\": [1]}".getBytes(StandardCharsets.UTF_8), seal)).isFalse();
        assertThat(ArchiveKey.fromEnvironment(Map.of("K", HEX.replace('0', '1')), "K").verifies(manifest, seal)).isFalse();
        assertThat(key.verifies(manifest, "not hex")).isFalse();
    }

    @Test
    void a_key_file_must_be_owner_only_and_long_enough(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("key"), HEX + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ArchiveKey.fromFile(file)).isInstanceOf(ArboristException.class).hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(ArchiveKey.fromFile(file)).isEqualTo(ArchiveKey.fromEnvironment(Map.of("K", HEX), "K"));
        Path shortKey = Files.writeString(dir.resolve("short"), "secret");
        Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> ArchiveKey.fromFile(shortKey)).hasMessageContaining("at least 32").hasMessageNotContaining("secret\"");
    }

    @Test
    void the_key_is_never_shown() {
        ArchiveKey key = ArchiveKey.fromEnvironment(Map.of("K", HEX), "K");
        assertThat(key.toString()).doesNotContain(HEX).hasSize("ArchiveKey[]".length() + 16);
        assertThatThrownBy(() -> ArchiveKey.fromEnvironment(Map.of("K", "short-secret"), "K")).hasMessageNotContaining("short-secret")
                .hasMessageContaining("environment variable K");
    }
}
