package io.arborist.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.clickhouse.ManifestChunk;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A data file checked while it streams into a table: every byte counted and hashed once, trailing bytes too. */
class VerifyingInputTest {
    private static final byte[] FILE = "native rows and a trailer".getBytes(StandardCharsets.UTF_8);

    private static ManifestChunk chunk(long bytes, String sha) {
        return new ManifestChunk("data/xapi/events/all.native.zst", "", 1, bytes, sha, "", "");
    }

    @Test
    void a_file_read_in_part_then_drained_matches_its_manifest_entry() throws IOException {
        VerifyingInput in = new VerifyingInput(new ByteArrayInputStream(FILE));
        byte[] head = new byte[6];
        assertThat(in.read(head, 0, 6)).isEqualTo(6);
        assertThat(in.read()).isEqualTo(' ');
        assertThat(in.skip(3)).as("skipped bytes are still hashed").isEqualTo(3);
        in.drain();
        assertThat(in.problem(chunk(FILE.length, ManifestSeal.sha256(FILE)))).isEmpty();
    }

    @Test
    void a_file_of_another_size_or_content_is_reported_with_its_name() throws IOException {
        VerifyingInput shorter = new VerifyingInput(new ByteArrayInputStream(FILE, 0, FILE.length - 1));
        shorter.drain();
        assertThat(shorter.problem(chunk(FILE.length, ManifestSeal.sha256(FILE)))).get().asString()
                .isEqualTo("data/xapi/events/all.native.zst has " + (FILE.length - 1) + " bytes, the manifest says " + FILE.length
                        + " (truncated or replaced)");

        byte[] flipped = FILE.clone();
        flipped[3] ^= 1;
        VerifyingInput changed = new VerifyingInput(new ByteArrayInputStream(flipped));
        changed.drain();
        assertThat(changed.problem(chunk(FILE.length, ManifestSeal.sha256(FILE)))).get().asString()
                .startsWith("data/xapi/events/all.native.zst has SHA-256 " + ManifestSeal.sha256(flipped)).endsWith("(corrupted)");
    }

    @Test
    void closing_it_leaves_the_file_open_for_the_rest_to_be_checked_until_it_is_released() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream file = new FilterInputStream(new ByteArrayInputStream(FILE)) {
            @Override
            public void close() throws IOException {
                closed.set(true);
                super.close();
            }
        };
        VerifyingInput in = new VerifyingInput(file);
        in.read(new byte[4], 0, 4);
        in.close();
        assertThat(closed).isFalse();
        in.drain();
        assertThat(in.problem(chunk(FILE.length, ManifestSeal.sha256(FILE)))).isEmpty();
        in.release();
        assertThat(closed).isTrue();
    }
}
