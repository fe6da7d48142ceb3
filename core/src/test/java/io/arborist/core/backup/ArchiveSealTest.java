package io.arborist.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArchiveSealTest {
    private static final ArchiveKey KEY = ArchiveKey.fromEnvironment(Map.of("K", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"), "K");
    private static final ArchiveKey OTHER = ArchiveKey.fromEnvironment(Map.of("K", "11112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"), "K");
    private static final byte[] MANIFEST = "{\"files\": []}".getBytes(StandardCharsets.UTF_8);

    private static Optional<String> text(ArchiveSeal s) {
        return Optional.of(new String(s.bytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void a_seal_is_one_line_that_reads_back() {
        ArchiveSeal seal = ArchiveSeal.of(KEY, MANIFEST);
        String line = text(seal).orElseThrow();
        assertThat(line).matches("hmac-sha256 [0-9a-f]{16} [0-9a-f]{64}\n").startsWith("hmac-sha256 " + KEY.fingerprint() + " ");
        assertThat(ArchiveSeal.parse(line)).contains(seal);
        assertThat(ArchiveSeal.parse("{\"algorithm\": \"HMAC-SHA256\"}")).isEmpty();
    }

    @Test
    void the_right_key_authenticates_and_every_other_case_is_one_problem() {
        ArchiveSeal seal = ArchiveSeal.of(KEY, MANIFEST);
        ArchiveSeal.Check ok = ArchiveSeal.check(text(seal), MANIFEST, Optional.of(KEY));
        assertThat(ok).isEqualTo(new ArchiveSeal.Check(ArchiveSeal.Status.VERIFIED, java.util.List.of(), "authenticated: sealed with the key "
                + KEY.fingerprint()));
        assertThat(ok.authenticated()).isTrue();

        ArchiveSeal.Check edited = ArchiveSeal.check(text(seal), "{\"files\": [1]}".getBytes(StandardCharsets.UTF_8), Optional.of(KEY));
        assertThat(edited.problems()).containsExactly("the manifest does not match its seal: it was changed after the backup");
        assertThat(edited.authenticated()).isFalse();
        assertThat(ArchiveSeal.check(text(seal), MANIFEST, Optional.of(OTHER)).problems()).singleElement().asString()
                .startsWith("the archive was sealed with another key (fingerprint " + KEY.fingerprint());
        ArchiveSeal.Check missing = ArchiveSeal.check(Optional.empty(), MANIFEST, Optional.of(KEY));
        assertThat(missing.status()).isEqualTo(ArchiveSeal.Status.ABSENT);
        assertThat(missing.problems()).singleElement().asString().startsWith("the archive has no seal (manifest.sig)");
        assertThat(ArchiveSeal.check(Optional.of("hmac-sha256 zz"), MANIFEST, Optional.of(KEY)).problems()).singleElement().asString()
                .contains("is malformed");
    }

    @Test
    void without_a_key_the_seal_is_only_read() {
        ArchiveSeal.Check c = ArchiveSeal.check(text(ArchiveSeal.of(KEY, MANIFEST)), MANIFEST, Optional.empty());
        assertThat(c.status()).isEqualTo(ArchiveSeal.Status.NOT_CHECKED);
        assertThat(c.problems()).isEmpty();
        assertThat(c.note()).startsWith("unauthenticated: sealed with the key " + KEY.fingerprint());
        assertThat(ArchiveSeal.check(Optional.empty(), MANIFEST, Optional.empty()).status()).isEqualTo(ArchiveSeal.Status.ABSENT);
    }
}
